// SPDX-License-Identifier: Apache-2.0
//
// The Java peer of the avrokit benchmark: the Apache Avro Java library (Debian's
// libavro-java) doing what avrokit's subcommands do, the plain way a Java user
// would write it.
//
//   java AvroPeer tojson   FILE.avro                      > records.json
//   java AvroPeer fromjson SCHEMA.avsc CODEC FILE.json OUT.avro
//   java AvroPeer concat   OUT.avro IN.avro...            (block copy)
//   java AvroPeer count    FILE.avro
//
// Built by bench/run.sh with javac against /usr/share/java/avro.jar.

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;

public final class AvroPeer {
    private static final int BUF = 1 << 16;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        switch (args[0]) {
            case "tojson":
                toJson(args[1]);
                break;
            case "fromjson":
                if (args.length != 5) {
                    usage();
                }
                fromJson(args[1], args[2], args[3], args[4]);
                break;
            case "concat":
                if (args.length < 3) {
                    usage();
                }
                concat(args);
                break;
            case "count":
                count(args[1]);
                break;
            default:
                usage();
        }
    }

    private static void usage() {
        System.err.println("usage: AvroPeer tojson FILE | fromjson SCHEMA CODEC JSON OUT"
                + " | concat OUT IN... | count FILE");
        System.exit(2);
    }

    private static InputStream open(String path) throws Exception {
        return new BufferedInputStream(new FileInputStream(path), BUF);
    }

    private static void toJson(String path) throws Exception {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), BUF);
        try (DataFileStream<Object> in = new DataFileStream<>(open(path), new GenericDatumReader<Object>())) {
            Schema schema = in.getSchema();
            DatumWriter<Object> writer = new GenericDatumWriter<>(schema);
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
            Object datum = null;
            while (in.hasNext()) {
                datum = in.next(datum);
                writer.write(datum, encoder);
            }
            encoder.flush();
            out.write('\n');
        }
        out.flush();
    }

    private static void fromJson(String schemaPath, String codec, String jsonPath, String outPath)
            throws Exception {
        Schema schema = new Schema.Parser().parse(new File(schemaPath));
        DatumReader<Object> reader = new GenericDatumReader<>(schema);
        try (InputStream in = open(jsonPath);
             DataFileWriter<Object> writer = new DataFileWriter<>(new GenericDatumWriter<Object>(schema))) {
            writer.setCodec(CodecFactory.fromString(codec));
            writer.create(schema, new BufferedOutputStream(new FileOutputStream(outPath), BUF));
            Decoder decoder = DecoderFactory.get().jsonDecoder(schema, in);
            Object datum = null;
            while (true) {
                try {
                    datum = reader.read(datum, decoder);
                } catch (EOFException end) {
                    break;
                }
                writer.append(datum);
            }
        }
    }

    private static void concat(String[] args) throws Exception {
        DataFileWriter<Object> writer = null;
        try {
            for (int i = 2; i < args.length; i++) {
                try (DataFileStream<Object> in =
                         new DataFileStream<>(open(args[i]), new GenericDatumReader<Object>())) {
                    if (writer == null) {
                        writer = new DataFileWriter<>(new GenericDatumWriter<Object>(in.getSchema()));
                        String codec = in.getMetaString("avro.codec");
                        writer.setCodec(CodecFactory.fromString(codec == null ? "null" : codec));
                        writer.create(in.getSchema(),
                                new BufferedOutputStream(new FileOutputStream(args[1]), BUF));
                    }
                    writer.appendAllFrom(in, false); // copies blocks without decoding
                }
            }
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
    }

    private static void count(String path) throws Exception {
        long total = 0;
        try (DataFileStream<Object> in = new DataFileStream<>(open(path), new GenericDatumReader<Object>())) {
            while (in.hasNext()) {
                total += in.getBlockCount();
                in.nextBlock();
            }
        }
        System.out.println(total);
    }
}
