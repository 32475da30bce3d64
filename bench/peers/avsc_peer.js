#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
//
// The avsc (node.js) peer of the avrokit benchmark.
//
//   node avsc_peer.js tojson FILE.avro                        > records.json
//   node avsc_peer.js fromjson SCHEMA.avsc CODEC FILE.json OUT.avro
//   node avsc_peer.js concat OUT.avro IN.avro...   (decodes and re-encodes)
//   node avsc_peer.js count FILE.avro
//
// avsc is found in bench/node_modules (bench/run.sh installs it there).
// avsc reads null and deflate blocks itself; snappy blocks are decompressed by
// the small snappy decoder below (node has no snappy), checking the CRC-32
// that Avro appends to them.

'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const avsc = require(path.join(__dirname, '..', 'node_modules', 'avsc'));

// -------------------------------------------------------------------------
// Snappy raw-format decompression.

function readVarint(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length || shift > 28) throw new Error('snappy: bad length');
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
    shift += 7;
  }
}

function snappyUncompress(src) {
  let [length, pos] = readVarint(src, 0);
  const dst = Buffer.allocUnsafe(length);
  let out = 0;
  while (pos < src.length) {
    const tag = src[pos++];
    const kind = tag & 3;
    let len;
    let offset;
    if (kind === 0) {
      len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        len = 0;
        for (let i = 0; i < extra; i++) len += src[pos + i] * 2 ** (8 * i);
        pos += extra;
      }
      len += 1;
      if (pos + len > src.length || out + len > length) throw new Error('snappy: bad literal');
      src.copy(dst, out, pos, pos + len);
      pos += len;
      out += len;
      continue;
    }
    if (kind === 1) {
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | src[pos];
      pos += 1;
    } else if (kind === 2) {
      len = 1 + (tag >>> 2);
      offset = src[pos] | (src[pos + 1] << 8);
      pos += 2;
    } else {
      len = 1 + (tag >>> 2);
      offset = src.readUInt32LE(pos);
      pos += 4;
    }
    if (offset === 0 || offset > out || out + len > length || pos > src.length) {
      throw new Error('snappy: bad copy');
    }
    if (offset >= len) {
      dst.copyWithin(out, out - offset, out - offset + len);
      out += len;
    } else {
      for (let i = 0; i < len; i++, out++) dst[out] = dst[out - offset];
    }
  }
  if (out !== length) throw new Error('snappy: short output');
  return dst;
}

const codecs = {
  null: (buf, cb) => cb(null, buf),
  deflate: zlib.inflateRaw,
  snappy: (buf, cb) => {
    let data;
    try {
      data = snappyUncompress(buf.subarray(0, buf.length - 4));
      if (zlib.crc32 && zlib.crc32(data) !== buf.readUInt32BE(buf.length - 4)) {
        throw new Error('snappy: CRC-32 mismatch');
      }
    } catch (err) {
      cb(err);
      return;
    }
    cb(null, data);
  },
};

// -------------------------------------------------------------------------

function fail(err) {
  process.stderr.write(`avsc_peer: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
}

// Writes strings to stdout in large pieces, pausing the source when needed.
function lineWriter(source) {
  let parts = [];
  let size = 0;
  const flush = () => {
    if (!parts.length) return;
    const ok = process.stdout.write(parts.join(''));
    parts = [];
    size = 0;
    if (!ok) {
      source.pause();
      process.stdout.once('drain', () => source.resume());
    }
  };
  return {
    push(line) {
      parts.push(line, '\n');
      size += line.length;
      if (size >= 1 << 16) flush();
    },
    flush,
  };
}

function tojson(file) {
  const decoder = avsc.createFileDecoder(file, {codecs});
  let type = null;
  const out = lineWriter(decoder);
  decoder.on('metadata', (t) => { type = t; });
  decoder.on('data', (rec) => out.push(type.toString(rec)));
  decoder.on('end', () => out.flush());
  decoder.on('error', fail);
}

function fromjson(schemaFile, codec, jsonFile, outFile) {
  const type = avsc.Type.forSchema(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
  const encoder = avsc.createFileEncoder(outFile, type, {codec});
  encoder.on('error', fail);
  const input = fs.createReadStream(jsonFile, {encoding: 'utf8', highWaterMark: 1 << 16});
  let rest = '';
  input.on('data', (chunk) => {
    const text = rest + chunk;
    let start = 0;
    let nl;
    let ok = true;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.trim()) ok = encoder.write(type.fromString(line));
    }
    rest = text.slice(start);
    if (!ok) {
      input.pause();
      encoder.once('drain', () => input.resume());
    }
  });
  input.on('end', () => {
    if (rest.trim()) encoder.write(type.fromString(rest));
    encoder.end();
  });
  input.on('error', fail);
}

function concat(outFile, inputs) {
  let encoder = null;
  const next = (i) => {
    if (i === inputs.length) {
      if (encoder) encoder.end();
      return;
    }
    const decoder = avsc.createFileDecoder(inputs[i], {codecs});
    decoder.on('error', fail);
    decoder.on('metadata', (type, codec) => {
      if (!encoder) {
        encoder = avsc.createFileEncoder(outFile, type, {codec});
        encoder.on('error', fail);
      }
      decoder.pipe(encoder, {end: false});
    });
    decoder.on('end', () => next(i + 1));
  };
  next(0);
}

function count(file) {
  let n = 0;
  const decoder = fs.createReadStream(file)
    .pipe(new avsc.streams.BlockDecoder({codecs, noDecode: true}));
  decoder.on('data', () => { n++; });
  decoder.on('end', () => process.stdout.write(`${n}\n`));
  decoder.on('error', fail);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'tojson' && args.length === 1) tojson(args[0]);
else if (cmd === 'fromjson' && args.length === 4) fromjson(...args);
else if (cmd === 'concat' && args.length >= 2) concat(args[0], args.slice(1));
else if (cmd === 'count' && args.length === 1) count(args[0]);
else {
  process.stderr.write('usage: avsc_peer.js tojson FILE | fromjson SCHEMA CODEC JSON OUT'
    + ' | concat OUT IN... | count FILE\n');
  process.exit(2);
}
