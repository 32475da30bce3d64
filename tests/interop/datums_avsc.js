// SPDX-License-Identifier: Apache-2.0
//
// Streams of datums between avsc (the JavaScript Avro implementation) and avrokit, for
// tests/cli/datums.bats.
//
//     node datums_avsc.js AVSC_DIR schema                      the schema
//     node datums_avsc.js AVSC_DIR json                        the values, one JSON text each
//     node datums_avsc.js AVSC_DIR write OUT FRAMING PREFIX [ID]  messages of Type.toBuffer
//     node datums_avsc.js AVSC_DIR check JSONL                 avrokit's JSON lines are them
//     node datums_avsc.js AVSC_DIR read IN FRAMING PREFIX [ID] avsc decodes avrokit's messages
//     node datums_avsc.js AVSC_DIR fingerprints                avsc's MD5 fingerprint, and the
//                                                              CRC-64-AVRO computed here
//
// FRAMING is none, single-object or confluent; PREFIX none, 4be, varint or uvarint. avsc
// has no single-object helpers: the header is its canonical form's CRC-64-AVRO, computed
// here from the specification's definition. Values come from a seeded generator. Exit 0
// when all is well, 1 on a mismatch (printed).

'use strict';

const fs = require('fs');

const [avscDir, cmd, ...args] = process.argv.slice(2);
const avro = require(avscDir);

const SCHEMA = {
  type: 'record', name: 'Reading', namespace: 'org.avrokit.avsc',
  fields: [
    {name: 'id', type: 'long'},
    {name: 'name', type: 'string'},
    {name: 'n', type: 'int'},
    {name: 'ok', type: 'boolean'},
    {name: 'score', type: 'double'},
    {name: 'raw', type: 'bytes'},
    {name: 'kind', type: {type: 'enum', name: 'Kind', symbols: ['A', 'B', 'C']}},
    {name: 'note', type: ['null', 'string']},
    {name: 'tags', type: {type: 'array', items: 'int'}},
    {name: 'attrs', type: {type: 'map', values: 'long'}},
    {name: 'key', type: {type: 'fixed', name: 'Key', size: 4}},
  ],
};
// wrapped unions: {"string": "x"}, as Avro's JSON encoding has them
const type = avro.Type.forSchema(SCHEMA, {wrapUnions: true});
const N = 150;

// A small seeded generator (xorshift), so that every command sees the same values.
let seed = 20261206;
function rnd(n) {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}

function values() {
  seed = 20261206;
  const out = [];
  for (let i = 0; i < N; i++) {
    const raw = Buffer.alloc(rnd(10));
    for (let k = 0; k < raw.length; k++) raw[k] = rnd(256);
    const key = Buffer.alloc(4);
    for (let k = 0; k < 4; k++) key[k] = rnd(256);
    const attrs = {};
    for (let k = rnd(4); k > 0; k--) attrs['a' + k] = rnd(1 << 30) * 4096 - 2 ** 41;
    out.push({
      id: [0, -1, 2 ** 52, -(2 ** 52), rnd(1 << 30) * 1000][rnd(5)],
      name: ['', 'ann', 'Tromsø', '😀 "q"', 'x'.repeat(rnd(200))][rnd(5)],
      n: [0, -(2 ** 31), 2 ** 31 - 1, rnd(2000) - 1000][rnd(4)],
      ok: rnd(2) === 1,
      score: [0, 1e300, -2.5e-310, (rnd(1 << 30) - (1 << 29)) / 7][rnd(4)],
      raw: raw,
      kind: 'ABC'[rnd(3)],
      note: [null, {string: ''}, {string: 'note ' + i}][rnd(3)],
      tags: Array.from({length: rnd(5)}, () => rnd(10) - 5),
      attrs: attrs,
      key: key,
    });
  }
  return out;
}

// CRC-64-AVRO of the bytes, as a BigInt.
const EMPTY = 0xc15d213aa4d7a795n;
const TABLE = [];
for (let i = 0n; i < 256n; i++) {
  let fp = i;
  for (let k = 0; k < 8; k++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  TABLE.push(fp);
}
function crc64(buf) {
  let fp = EMPTY;
  for (const b of buf) fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(b)) & 0xffn)];
  return fp;
}

function header(framing, id) {
  if (framing === 'single-object') {
    const h = Buffer.alloc(10);
    h[0] = 0xc3;
    h[1] = 0x01;
    // avsc's schema() with no options is its Parsing Canonical Form
    h.writeBigUInt64LE(crc64(Buffer.from(JSON.stringify(type.schema()))), 2);
    return h;
  }
  if (framing === 'confluent') {
    const h = Buffer.alloc(5);
    h.writeUInt32BE(id, 1);
    return h;
  }
  return Buffer.alloc(0);
}

function uvarint(n) {
  const out = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

function prefix(kind, n) {
  if (kind === '4be') {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  }
  if (kind === 'varint') return uvarint(n * 2);
  if (kind === 'uvarint') return uvarint(n);
  return Buffer.alloc(0);
}

function compare(got, want) {
  if (got.length !== want.length) {
    console.log(`MISMATCH: ${got.length} values, ${want.length} expected`);
    return 1;
  }
  for (let i = 0; i < want.length; i++) {
    // (equal encodings: avsc compares no maps)
    if (!type.toBuffer(got[i]).equals(type.toBuffer(want[i]))) {
      console.log(`MISMATCH at value ${i}: ${type.toString(got[i])} vs ${type.toString(want[i])}`);
      return 1;
    }
  }
  console.log(`ok: ${want.length} values`);
  return 0;
}

function main() {
  const id = args[3] !== undefined ? Number(args[3]) : 0;
  switch (cmd) {
  case 'schema':
    console.log(JSON.stringify(SCHEMA));
    return 0;
  case 'json':
    for (const v of values()) console.log(type.toString(v));
    return 0;
  case 'fingerprints':
    console.log(type.fingerprint('md5').toString('hex'));
    console.log(header('single-object').subarray(2).toString('hex'));
    return 0;
  case 'write': {
    const parts = [];
    const h = header(args[1], id);
    for (const v of values()) {
      const msg = Buffer.concat([h, type.toBuffer(v)]);
      parts.push(prefix(args[2], msg.length), msg);
    }
    fs.writeFileSync(args[0], Buffer.concat(parts));
    return 0;
  }
  case 'check': {
    const lines = fs.readFileSync(args[0], 'utf8').split('\n').filter((l) => l);
    return compare(lines.map((l) => type.fromString(l)), values());
  }
  case 'read': {
    const buf = fs.readFileSync(args[0]);
    const h = header(args[1], id);
    const got = [];
    let pos = 0;
    while (pos < buf.length) {
      let end = -1;
      if (args[2] === '4be') {
        end = pos + 4 + buf.readUInt32BE(pos);
        pos += 4;
      } else if (args[2] === 'varint' || args[2] === 'uvarint') {
        let n = 0;
        let mul = 1;
        for (;;) {
          const b = buf[pos++];
          n += (b & 0x7f) * mul;
          mul *= 128;
          if (!(b & 0x80)) break;
        }
        end = pos + (args[2] === 'varint' ? n / 2 : n);
      }
      if (!buf.subarray(pos, pos + h.length).equals(h)) {
        console.log(`MISMATCH: message ${got.length} lacks the header ${h.toString('hex')}`);
        return 1;
      }
      pos += h.length;
      const r = type.decode(buf, pos);
      if (r.offset < 0 || (end >= 0 && r.offset !== end)) {
        console.log(`MISMATCH: message ${got.length} does not decode to its end`);
        return 1;
      }
      got.push(r.value);
      pos = r.offset;
    }
    return compare(got, values());
  }
  default:
    process.stderr.write('usage: node datums_avsc.js AVSC_DIR CMD ARGS...\n');
    return 2;
  }
}

process.exit(main());
