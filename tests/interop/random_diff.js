// SPDX-License-Identifier: Apache-2.0
//
// avsc (the JavaScript Avro implementation) for tests/interop/random_diff.py.
//
//     node random_diff.js AVSC_DIR JOB.json
//
// AVSC_DIR is the avsc package directory (the one holding package.json). JOB.json is
//
//     {"schema": SCHEMA, "ops": [
//         {"op": "write", "path": FILE, "codec": "null"|"deflate"|"snappy", "blockSize": N,
//          "values": [VALUE, ...]},
//         {"op": "read", "path": FILE}, ...]}
//
// and what it prints on stdout is {"results": [RESULT, ...]}, one per op, in order:
// {"ok": true} for a write, {"ok": true, "values": [VALUE, ...]} for a read, or
// {"ok": false, "error": MESSAGE}. An op that fails does not stop the others.
//
// VALUE is a schema-directed form that JSON carries exactly (random_diff.py converts
// it): null, boolean and int as themselves; long as a decimal string; float and double
// as the hex digits of their bit pattern (8 and 16 digits); bytes and fixed as hex
// digits; string and enum as strings; array as a list; map as a list of [key, value]
// pairs; record as the list of its field values in schema order; union as null (the null
// branch) or [branch index, value].
//
// Longs are BigInts (avsc's own long type refuses values beyond 2^53), unions are
// always wrapped ({"branch name": value}), and logical types are read and written as
// their underlying types (no logicalTypes option), as Avro's JSON encoding has them.

'use strict';

const fs = require('fs');
const zlib = require('zlib');

const [avscDir, jobPath] = process.argv.slice(2);
if (!avscDir || !jobPath) {
  process.stderr.write('usage: node random_diff.js AVSC_DIR JOB.json\n');
  process.exit(2);
}
const avro = require(avscDir);

const LongType = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: (x) => BigInt(x),
  toJSON: (n) => Number(n),
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});

function isLongSchema(s) {
  return s === 'long' ||
    (s !== null && typeof s === 'object' && !Array.isArray(s) && s.type === 'long');
}

function makeType(schema) {
  return avro.Type.forSchema(schema, {
    wrapUnions: true,
    typeHook: (s) => (isLongSchema(s) ? LongType : undefined),
  });
}

// ---- snappy (Avro's framing: the raw snappy block, then the big-endian CRC-32 of the
// uncompressed data). node has no snappy: the decoder below handles every element kind;
// the encoder writes literals only (valid snappy, no compression), cut into runs of
// varying length so that the 1-, 2-, 3- and 4-byte literal length forms all occur.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) {
    c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function snappyDecode(src) {
  let pos = 0;
  let len = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= src.length || shift > 28) {
      throw new Error('snappy: bad preamble');
    }
    const b = src[pos++];
    len += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      break;
    }
  }
  const out = Buffer.alloc(len);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const extra = n - 59;
        n = 0;
        for (let k = 0; k < extra; k++) {
          n += src[pos++] * 2 ** (8 * k);
        }
      }
      n += 1;
      if (pos + n > src.length || o + n > len) {
        throw new Error('snappy: literal overruns');
      }
      src.copy(out, o, pos, pos + n);
      pos += n;
      o += n;
      continue;
    }
    let n;
    let off;
    if (kind === 1) {
      n = ((tag >>> 2) & 7) + 4;
      off = ((tag >>> 5) << 8) | src[pos++];
    } else if (kind === 2) {
      n = (tag >>> 2) + 1;
      off = src[pos] | (src[pos + 1] << 8);
      pos += 2;
    } else {
      n = (tag >>> 2) + 1;
      off = src.readUInt32LE(pos);
      pos += 4;
    }
    if (off === 0 || off > o || o + n > len) {
      throw new Error('snappy: bad copy');
    }
    for (let k = 0; k < n; k++, o++) {
      out[o] = out[o - off];
    }
  }
  if (o !== len) {
    throw new Error('snappy: short output');
  }
  return out;
}

function snappyEncodeLiterals(data) {
  const parts = [];
  const pre = [];
  let len = data.length;
  do {
    pre.push((len & 0x7f) | (len > 0x7f ? 0x80 : 0));
    len = Math.floor(len / 128);
  } while (len > 0);
  parts.push(Buffer.from(pre));
  // run lengths cycle through the tag forms: 1..60 in the tag, then 1, 2 and 3 more bytes
  const runs = [1, 7, 60, 61, 200, 256, 257, 5000, 65536, 65537, 70000];
  let pos = 0;
  let r = data.length % runs.length;
  while (pos < data.length) {
    const n = Math.min(runs[r++ % runs.length], data.length - pos);
    const m = n - 1;
    if (m < 60) {
      parts.push(Buffer.from([m << 2]));
    } else if (m < 0x100) {
      parts.push(Buffer.from([60 << 2, m]));
    } else if (m < 0x10000) {
      parts.push(Buffer.from([61 << 2, m & 0xff, m >>> 8]));
    } else {
      parts.push(Buffer.from([62 << 2, m & 0xff, (m >>> 8) & 0xff, m >>> 16]));
    }
    parts.push(data.subarray(pos, pos + n));
    pos += n;
  }
  return Buffer.concat(parts);
}

function snappyCompress(buf, cb) {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(buf));
  cb(null, Buffer.concat([snappyEncodeLiterals(buf), crc]));
}

function snappyUncompress(buf, cb) {
  let out;
  try {
    if (buf.length < 4) {
      throw new Error('snappy: block too short for its CRC-32');
    }
    out = snappyDecode(buf.subarray(0, buf.length - 4));
    if (crc32(out) !== buf.readUInt32BE(buf.length - 4)) {
      throw new Error('snappy: CRC-32 mismatch');
    }
  } catch (err) {
    cb(err);
    return;
  }
  cb(null, out);
}

const CODECS = {
  null: (buf, cb) => cb(null, buf),
  deflate: zlib.deflateRaw,
  snappy: snappyCompress,
};
const DECODECS = {
  null: (buf, cb) => cb(null, buf),
  deflate: zlib.inflateRaw,
  snappy: snappyUncompress,
};

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function branchIndex(type, name) {
  const i = type.types.findIndex((t) => t.branchName === name);
  if (i < 0) {
    throw new Error(`no union branch named ${name}`);
  }
  return i;
}

// avsc value -> VALUE
function toHelper(type, v) {
  switch (type.typeName) {
  case 'null':
    return null;
  case 'boolean':
  case 'int':
  case 'string':
  case 'enum':
    return v;
  case 'long':
  case 'abstract:long':
    return BigInt(v).toString();
  case 'float':
    f32[0] = v;
    return u32[0].toString(16).padStart(8, '0');
  case 'double':
    f64[0] = v;
    return u64[0].toString(16).padStart(16, '0');
  case 'bytes':
  case 'fixed':
    return v.toString('hex');
  case 'array':
    return v.map((x) => toHelper(type.itemsType, x));
  case 'map':
    return Object.keys(v).map((k) => [k, toHelper(type.valuesType, v[k])]);
  case 'record':
  case 'error':
    return type.fields.map((f) => toHelper(f.type, v[f.name]));
  case 'union:wrapped': {
    if (v === null) {
      return null;
    }
    const keys = Object.keys(v);
    const i = branchIndex(type, keys[0]);
    return [i, toHelper(type.types[i], v[keys[0]])];
  }
  default:
    throw new Error(`unexpected avsc type ${type.typeName}`);
  }
}

// VALUE -> avsc value
function fromHelper(type, h) {
  switch (type.typeName) {
  case 'null':
    return null;
  case 'boolean':
  case 'int':
  case 'string':
  case 'enum':
    return h;
  case 'long':
  case 'abstract:long':
    return BigInt(h);
  case 'float':
    u32[0] = parseInt(h, 16);
    return f32[0];
  case 'double':
    u64[0] = BigInt('0x' + h);
    return f64[0];
  case 'bytes':
  case 'fixed':
    return Buffer.from(h, 'hex');
  case 'array':
    return h.map((x) => fromHelper(type.itemsType, x));
  case 'map': {
    const m = Object.create(null);
    for (const [k, x] of h) {
      m[k] = fromHelper(type.valuesType, x);
    }
    return m;
  }
  case 'record':
  case 'error': {
    const r = {};
    type.fields.forEach((f, i) => {
      r[f.name] = fromHelper(f.type, h[i]);
    });
    return r;
  }
  case 'union:wrapped': {
    if (h === null) {
      return null;
    }
    const t = type.types[h[0]];
    if (t.typeName === 'null') {
      return null;
    }
    return {[t.branchName]: fromHelper(t, h[1])};
  }
  default:
    throw new Error(`unexpected avsc type ${type.typeName}`);
  }
}

function writeFile(type, op) {
  return new Promise((resolve, reject) => {
    const enc = new avro.streams.BlockEncoder(type, {
      codec: op.codec,
      codecs: CODECS,
      blockSize: op.blockSize || 65536,
    });
    const out = fs.createWriteStream(op.path);
    enc.on('error', reject);
    enc.on('typeError', (err) => reject(err));
    out.on('error', reject);
    out.on('finish', resolve);
    enc.pipe(out);
    for (const h of op.values) {
      enc.write(fromHelper(type, h));
    }
    enc.end();
  });
}

function readFile(op) {
  return new Promise((resolve, reject) => {
    let type = null;
    const values = [];
    const dec = avro.createFileDecoder(op.path, {
      codecs: DECODECS,
      parseHook: (schema) => (type = makeType(schema)),
    });
    dec.on('data', (v) => {
      try {
        values.push(toHelper(type, v));
      } catch (err) {
        dec.destroy();
        reject(err);
      }
    });
    dec.on('error', reject);
    dec.on('end', () => resolve(values));
  });
}

async function main() {
  const job = JSON.parse(fs.readFileSync(jobPath, 'utf8'));
  const results = [];
  let type = null;
  let typeError = null;
  try {
    type = makeType(job.schema);
  } catch (err) {
    typeError = err;
  }
  for (const op of job.ops) {
    try {
      if (op.op === 'write') {
        if (typeError) {
          throw typeError;
        }
        await writeFile(type, op);
        results.push({ok: true});
      } else if (op.op === 'read') {
        results.push({ok: true, values: await readFile(op)});
      } else {
        throw new Error(`unknown op ${op.op}`);
      }
    } catch (err) {
      results.push({ok: false, error: String(err && err.message || err)});
    }
  }
  process.stdout.write(JSON.stringify({results}) + '\n');
}

main().catch((err) => {
  process.stderr.write(`random_diff.js: ${err && err.stack || err}\n`);
  process.exit(1);
});
