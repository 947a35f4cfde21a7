#!/usr/bin/env python3
"""make_corpus.py - writes the hostile-input corpus that tests/cli/test_hostile.cpp runs benchtop-cli over.

Small files only (all together a few KB): broken, truncated, mislabelled and odd-but-valid inputs for every
reader of outside bytes. Inputs that must be large (a 1 MB header line, a 2 MB text line, 40 s of audio)
are written by the test itself at run time. Broken model folders are made by the test from a copy of a
shared tiny model, since ../shared is not copied into the repository. Deterministic: run it again and the
files are byte-identical.

    python3 tests/data/hostile/make_corpus.py   # rewrites tests/data/hostile/{methylation,text,speech}
"""
import gzip
import io
import math
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CPGS = ["cg00000029", "cg00000108", "cg00000109", "cg00000165", "cg00000236", "cg00000289"]


def write(relative, data):
    path = os.path.join(HERE, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def matrix(rows, header="ID_REF,S1,S2", sep=",", newline="\n"):
    return newline.join([header.replace(",", sep)] + [sep.join(r) for r in rows]) + newline


def good_rows():
    return [[cpg, "%.3f" % (0.1 + 0.1 * i), "%.3f" % (0.8 - 0.1 * i)] for i, cpg in enumerate(CPGS)]


def wav(samples, rate=16000, riff_size=None, data_size=None):
    pcm = b"".join(struct.pack("<h", max(-32768, min(32767, int(s)))) for s in samples)
    data_len = len(pcm) if data_size is None else data_size
    riff = 36 + len(pcm) if riff_size is None else riff_size
    header = b"RIFF" + struct.pack("<I", riff) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    header += b"data" + struct.pack("<I", data_len)
    return header + pcm


def main():
    rng = random.Random(20261204)

    # ---- methylation ----
    m = "methylation/"
    write(m + "empty.csv", b"")
    write(m + "header_only.csv", "ID_REF,S1,S2\n")
    write(m + "binary_garbage.csv", bytes(rng.randrange(256) for _ in range(2048)))
    rows = good_rows()
    rows[2][1] = "abc"
    write(m + "non_numeric.csv", matrix(rows))
    rows = good_rows()
    rows[1][2] = "1.7"
    rows[3][1] = "-0.2"
    write(m + "out_of_range.csv", matrix(rows))
    rows = [[cpg, "NaN", "%.3f" % (0.2 + 0.1 * i)] for i, cpg in enumerate(CPGS)]
    rows[0][1] = "inf"
    write(m + "nan_column.csv", matrix(rows))
    rows = [[cpg, "nan", "NA"] for cpg in CPGS]
    write(m + "all_nan.csv", matrix(rows))
    rows = good_rows()
    rows[3] = rows[3][:2]
    write(m + "ragged.csv", matrix(rows))
    write(m + "duplicate_samples.csv", matrix(good_rows(), header="ID_REF,S1,S1"))
    whole = gzip.compress(matrix(good_rows() * 50).encode(), mtime=0)
    write(m + "truncated.csv.gz", whole[: len(whole) // 2])
    write(m + "fake.csv.gz", matrix(good_rows()))
    write(m + "nul_bytes.csv", matrix(good_rows()).replace("0.300", "0.3\x00\x000"))
    write(m + "utf16_bom.csv", b"\xff\xfe" + matrix(good_rows()).encode("utf-16-le"))
    write(m + "crlf_semicolon.csv", matrix(good_rows(), sep=";", newline="\r\n"))
    series = "!Series_title\t\"a cut series\"\n!Sample_geo_accession\t\"GSM1\"\t\"GSM2\"\n!series_matrix_table_begin\n"
    series += "\"ID_REF\"\t\"GSM1\"\t\"GSM2\"\n" + "".join('"%s"\t0.5\t0.6\n' % c for c in CPGS[:3])
    write(m + "series_matrix_cut.txt", series)
    rows = [["cg9%07d" % i, "0.5", "0.6"] for i in range(6)]
    write(m + "no_clock_cpgs.csv", matrix(rows))

    # ---- text ----
    t = "text/"
    write(t + "empty.txt", b"")
    write(t + "blank_lines.txt", "\n  \n\t\n\n")
    write(t + "latin1.txt", "first line\nsecond line\ncaf\xe9 au lait\n".encode("latin-1"))
    write(t + "nul_bytes.txt", b"one\ntw\x00o\nthree\n")
    write(t + "broken.jsonl", '{"text": "fine"}\n{"text": "broken\n{"text": "after"}\n')
    write(t + "missing_field.jsonl", '{"text": "has it"}\n{"body": "has not"}\n')
    write(t + "missing_column.csv", "id,body\n1,hello\n2,world\n")
    write(t + "unicode.txt", "\ufeffemoji \U0001F9EC\U0001F52C here\n"
          "\u05e9\u05dc\u05d5\u05dd \u0639\u0627\u0644\u0645 (RTL)\n"
          "e\u0301 combining and zero\u200bwidth\u200d joiners\n")
    write(t + "lone_surrogate.jsonl", '{"text": "before \\ud800 after"}\n{"text": "pair \\ud83e\\uddec ok"}\n')

    # ---- speech ----
    s = "speech/"
    write(s + "empty.wav", b"")
    write(s + "header_only.wav", wav([]))
    tone = [8000 * math.sin(2 * math.pi * 440 * i / 16000) for i in range(16000)]
    write(s + "cut_mid_data.wav", wav(tone)[: 44 + 16000])  # header says 1 s, 0.5 s present
    write(s + "lying_sizes.wav", wav(tone[:8000], riff_size=0xFFFFFFF0, data_size=0xFFFFFFF0))
    write(s + "random_bytes.mp3", bytes(rng.randrange(256) for _ in range(4096)))
    write(s + "text.flac", "this is not a flac file, just text\n" * 20)
    write(s + "ten_ms.wav", wav(tone[:160]))
    write(s + "clipped_noise.wav", wav([rng.choice([-32768, 32767]) for _ in range(16000)]))


if __name__ == "__main__":
    main()
