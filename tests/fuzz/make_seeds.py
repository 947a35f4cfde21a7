#!/usr/bin/env python3
"""make_seeds.py - writes the seed corpus of the libFuzzer targets (tests/fuzz/corpus/<target>/).

Small valid inputs of each format, so the fuzzers start from files the parsers accept. Needs Debian's
python3-torch for the PyTorch checkpoint seed (/usr/bin/python3). Deterministic.
"""
import io
import json
import os
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def safetensors(tensors):
    header, blob = {"__metadata__": {"format": "pt"}}, b""
    for name, (dtype, shape, data) in sorted(tensors.items()):
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(data)]}
        blob += data
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + blob


def npy(shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % "".join("%d," % s for s in shape)
    header = header.encode() + b" " * ((64 - (10 + len(header) + 1) % 64) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + struct.pack("<%df" % len(values), *values)


def wav(samples):
    pcm = struct.pack("<%dh" % len(samples), *samples)
    return (b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
            + b"data" + struct.pack("<I", len(pcm)) + pcm)


def main():
    floats = struct.pack("<4f", 1.0, -2.0, 0.5, 3.25)
    write("safetensors", "two_tensors.safetensors",
          safetensors({"w": ("F32", [2, 2], floats), "b": ("F16", [2], struct.pack("<2e", 1.0, -1.0))}))
    write("npy", "matrix.npy", npy((2, 3), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]))
    write("npy", "vector.npy", npy((4,), [1, 2, 3, 4]))

    try:
        import torch
        buffer = io.BytesIO()
        torch.save({"weight": torch.arange(6, dtype=torch.float32).view(2, 3), "bias": torch.zeros(2)}, buffer)
        write("torch_pickle", "state_dict.bin", buffer.getvalue())
    except ImportError:
        print("python3-torch missing: no torch_pickle seed (run with /usr/bin/python3)")

    vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hello": 4, "world": 5, "##s": 6, ",": 7, "!": 8}
    wordpiece = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for t, i in vocab.items() if t.startswith("[")],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                      {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                           "pair": [], "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                                                          "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }
    write("tokenizer", "wordpiece.json", json.dumps(wordpiece, indent=1))
    bpe = {
        "version": "1.0", "added_tokens": [], "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": None, "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "fuse_unk": False, "byte_fallback": False,
                  "vocab": {"h": 0, "e": 1, "l": 2, "o": 3, "he": 4, "ll": 5, "hell": 6, "hello": 7, "\u0120": 8},
                  "merges": ["h e", "l l", "he ll", "hell o"]},
    }
    write("tokenizer", "bpe.json", json.dumps(bpe, indent=1))

    gpt2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
    write("regex", "gpt2.txt", gpt2 + "\nHello world, it's 2026! Grüße 123\n")
    write("regex", "groups.txt", "(?i:ab|c)+(?=d)|[a-f0-9]{2,4}\nABcabD deadbeef 1234\n")
    write("regex", "repeat.txt", " {2,}\na  b    c\n")

    write("beta_matrix", "rows.csv", "ID_REF,S1,S2\ncg00000029,0.51,0.62\ncg00000108,0.11,0.12\n")
    write("beta_matrix", "samples_as_rows.tsv", "sample\tcg00000029\tcg00000108\nS1\t0.5\t0.6\nS2\t0.1\t0.2\n")
    with open(os.path.join(ROOT, "tests", "data", "hostile", "methylation", "series_matrix_cut.txt")) as f:
        write("beta_matrix", "series_matrix.txt", f.read() + "!series_matrix_table_end\n")
    write("sample_sheet", "plain.csv", "Sample_Name,Age,Sex\nS1,40,F\nS2,52,M\n")
    write("sample_sheet", "illumina.csv", "[Header]\nInvestigator Name,x\n[Data]\nSample_Name,Sample_Plate,Age\nS1,P1,40\n")

    with open(os.path.join(ROOT, "resources", "catalog", "catalog.json")) as f:
        catalog = json.load(f)
    catalog["models"] = catalog["models"][:3]
    write("catalog", "three_models.json", json.dumps(catalog, indent=1))

    manifest = {
        "format_version": 1, "name": "seed", "task": "methylation", "model": "model.pt",
        "input": {"cpgs": "cpgs.txt", "kind": "beta", "imputation": {"method": "cohort_mean", "values": [0.5, 0.25]}},
        "outputs": [{"name": "Age", "unit": "years", "transform": "identity"},
                    {"name": "Risk", "unit": "probability", "transform": "sigmoid"}],
        "reduced_precision": False, "batch_size": 8,
    }
    write("bundle_manifest", "manifest.json", json.dumps(manifest, indent=1))

    write("audio", "tone.wav", wav([int(8000 * ((i // 20) % 2 * 2 - 1)) for i in range(1600)]))


if __name__ == "__main__":
    main()
