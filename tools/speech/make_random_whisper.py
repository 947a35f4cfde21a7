#!/usr/bin/python3
"""make_random_whisper.py - write a random-weight Whisper model folder in the Hugging Face layout.

For speed measurements at real sizes without downloading a checkpoint: the folder has the architecture of a
real Whisper size (default: whisper-small) and random weights, so `benchtop-cli bench transcribe` measures
what the real model would cost per window and per token (the decoded text is random, its length is not the
real one; the bench reports the tokens it decoded).

Needs only Debian's python3-torch (random numbers, float16 conversion) and the standard library:
model.safetensors is written by hand (u64-LE header length, JSON header with `__metadata__` first and the
tensors in sorted-name order, space-padded to a multiple of 8, then the raw little-endian data).
config.json, generation_config.json, preprocessor_config.json and the tokenizer files are taken at run time
from a model folder with the same vocabulary (default: the shared tiny-whisper-v2, 80 mels / 51865 tokens);
the architecture fields of config.json and the alignment heads are replaced.

Sizes (d_model / encoder+decoder layers / heads / ffn):
  tiny 384 / 4+4 / 6 / 1536   base 512 / 6+6 / 8 / 2048   small 768 / 12+12 / 12 / 3072 (default)
  medium 1024 / 24+24 / 16 / 4096   large 1280 / 32+32 / 20 / 5120 (large-v3: --template a v3 folder, 128 mels)

Weights: Linear/Conv W ~ N(0, 1/fan_in), biases ~ N(0, 0.02^2), LayerNorm gamma ~ 1 + N(0, 0.1^2), beta ~
N(0, 0.02^2), token embedding ~ N(0, 1), decoder positions ~ N(0, 0.1^2), encoder positions = Whisper's
sinusoids. The decoder's final LayerNorm beta is shifted along the <|endoftext|> embedding (--eot-boost, in
logit units) so that random decodes end at varied lengths instead of always running to the 224-token limit.

Example:
  /usr/bin/python3 tools/speech/make_random_whisper.py /tmp/random-whisper-small
  benchtop-cli bench transcribe --model /tmp/random-whisper-small --input jfk.flac --precisions fp32,bf16
"""
import argparse
import json
import math
import os
import shutil
import struct
import sys

import torch

SIZES = {
    "tiny": dict(d_model=384, layers=4, heads=6, ffn=1536),
    "base": dict(d_model=512, layers=6, heads=8, ffn=2048),
    "small": dict(d_model=768, layers=12, heads=12, ffn=3072),
    "medium": dict(d_model=1024, layers=24, heads=16, ffn=4096),
    "large": dict(d_model=1280, layers=32, heads=20, ffn=5120),  # large-v3 with --template tiny-whisper-v3
}
# Real alignment heads of the openai checkpoints of these sizes (multilingual), [layer, head].
ALIGNMENT_HEADS = {
    "tiny": [[2, 2], [3, 0], [3, 2], [3, 3], [3, 4], [3, 5]],
    "base": [[3, 1], [4, 2], [4, 3], [4, 7], [5, 1], [5, 2], [5, 4], [5, 6]],
    "small": [[5, 3], [5, 9], [8, 0], [8, 4], [8, 7], [8, 8], [9, 0], [9, 7], [9, 9], [10, 5]],
    "medium": [[13, 15], [15, 4], [15, 15], [16, 1], [20, 0], [23, 4]],
    "large": [[7, 0], [10, 17], [12, 18], [13, 12], [16, 1], [17, 14], [19, 11], [21, 4], [24, 1], [25, 6]],
}
COPIED_FILES = ["generation_config.json", "preprocessor_config.json", "vocab.json", "merges.txt",
                "added_tokens.json", "special_tokens_map.json", "tokenizer_config.json", "tokenizer.json",
                "normalizer.json"]
DTYPES = {"float16": (torch.float16, "F16", 2), "float32": (torch.float32, "F32", 4)}


def default_template():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "models", "tiny-whisper-v2"))


def tensor_specs(n_mels, vocab, d, layers, ffn):
    """(name, shape, kind) of every tensor, kind telling how to initialise it."""
    specs = [
        ("model.encoder.conv1.weight", [d, n_mels, 3], "linear"),
        ("model.encoder.conv1.bias", [d], "bias"),
        ("model.encoder.conv2.weight", [d, d, 3], "linear"),
        ("model.encoder.conv2.bias", [d], "bias"),
        ("model.encoder.embed_positions.weight", [1500, d], "sinusoids"),
        ("model.encoder.layer_norm.weight", [d], "gamma"),
        ("model.encoder.layer_norm.bias", [d], "bias"),
        ("model.decoder.embed_tokens.weight", [vocab, d], "embedding"),
        ("model.decoder.embed_positions.weight", [448, d], "positions"),
        ("model.decoder.layer_norm.weight", [d], "gamma"),
        ("model.decoder.layer_norm.bias", [d], "final_beta"),
    ]

    def attention(prefix):
        out = []
        for proj in ("q_proj", "k_proj", "v_proj", "out_proj"):
            out.append((f"{prefix}.{proj}.weight", [d, d], "linear"))
            if proj != "k_proj":  # Whisper's key projections have no bias
                out.append((f"{prefix}.{proj}.bias", [d], "bias"))
        return out

    def block(prefix, cross):
        out = attention(prefix + ".self_attn")
        out += [(prefix + ".self_attn_layer_norm.weight", [d], "gamma"),
                (prefix + ".self_attn_layer_norm.bias", [d], "bias")]
        if cross:
            out += attention(prefix + ".encoder_attn")
            out += [(prefix + ".encoder_attn_layer_norm.weight", [d], "gamma"),
                    (prefix + ".encoder_attn_layer_norm.bias", [d], "bias")]
        out += [(prefix + ".fc1.weight", [ffn, d], "linear"), (prefix + ".fc1.bias", [ffn], "bias"),
                (prefix + ".fc2.weight", [d, ffn], "linear"), (prefix + ".fc2.bias", [d], "bias"),
                (prefix + ".final_layer_norm.weight", [d], "gamma"),
                (prefix + ".final_layer_norm.bias", [d], "bias")]
        return out

    for i in range(layers):
        specs += block(f"model.encoder.layers.{i}", cross=False)
        specs += block(f"model.decoder.layers.{i}", cross=True)
    return sorted(specs)


def sinusoids(length, channels, max_timescale=10000):
    """openai whisper's sinusoids(): the encoder's positional table."""
    increment = math.log(max_timescale) / (channels // 2 - 1)
    inv = torch.exp(-increment * torch.arange(channels // 2, dtype=torch.float64))
    scaled = torch.arange(length, dtype=torch.float64)[:, None] * inv[None, :]
    return torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1).float()


def make_tensor(name, shape, kind, generator, eot_direction):
    if kind == "linear":
        fan_in = shape[1] * (shape[2] if len(shape) == 3 else 1)
        return torch.randn(shape, generator=generator) / math.sqrt(fan_in)
    if kind == "bias":
        return torch.randn(shape, generator=generator) * 0.02
    if kind == "gamma":
        return 1.0 + torch.randn(shape, generator=generator) * 0.1
    if kind == "embedding":
        return torch.randn(shape, generator=generator)
    if kind == "positions":
        return torch.randn(shape, generator=generator) * 0.1
    if kind == "sinusoids":
        return sinusoids(shape[0], shape[1])
    if kind == "final_beta":
        return torch.randn(shape, generator=generator) * 0.02 + eot_direction
    raise ValueError(f"unknown tensor kind {kind} for {name}")


def write_safetensors(path, specs, dtype_name, seed, eot, eot_boost):
    torch_dtype, st_dtype, itemsize = DTYPES[dtype_name]
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, shape, _ in specs:
        size = itemsize * math.prod(shape)
        header[name] = {"dtype": st_dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * (-len(blob) % 8)

    generator = torch.Generator().manual_seed(seed)
    # The token embedding is needed first for the <|endoftext|> push of the final LayerNorm beta; it is drawn
    # from its own generator so the other tensors do not depend on the order they are written in.
    embedding_spec = next(s for s in specs if s[2] == "embedding")
    embedding = torch.randn(embedding_spec[1], generator=torch.Generator().manual_seed(seed + 1))
    e = embedding[eot]
    # hidden . E[eot] grows by boost: beta += boost * E[eot] / |E[eot]|^2 (the final LN output is hidden + beta).
    eot_direction = eot_boost * e / float(e.dot(e))

    part = path + ".part"
    with open(part, "wb") as out:
        out.write(struct.pack("<Q", len(blob)))
        out.write(blob)
        for name, shape, kind in specs:
            if kind == "embedding":
                tensor = embedding
            else:
                tensor = make_tensor(name, shape, kind, generator, eot_direction)
            data = tensor.to(torch_dtype).contiguous()
            out.write(data.numpy().tobytes())
    os.replace(part, path)
    return offset


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="folder to create (must not exist, or be empty)")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--template", default=default_template(),
                        help="Whisper folder whose config, generation config and tokenizer files are reused "
                             "(80 mels, 51865 tokens; default the shared tiny-whisper-v2)")
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="float16", help="dtype on disk")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--eot-boost", type=float, default=12.0,
                        help="logit added to <|endoftext|> through the final LayerNorm bias")
    args = parser.parse_args()

    template_config = os.path.join(args.template, "config.json")
    if not os.path.isfile(template_config):
        sys.exit(f"error: {args.template}: not a Whisper model folder (no config.json)")
    if os.path.exists(args.output) and os.listdir(args.output):
        sys.exit(f"error: {args.output}: the output folder exists and is not empty")
    os.makedirs(args.output, exist_ok=True)

    with open(template_config, encoding="utf-8") as f:
        config = json.load(f)
    size = SIZES[args.size]
    d, layers, heads, ffn = size["d_model"], size["layers"], size["heads"], size["ffn"]
    config.update({
        "_name_or_path": f"benchtop/random-whisper-{args.size}",
        "d_model": d, "encoder_layers": layers, "decoder_layers": layers, "num_hidden_layers": layers,
        "encoder_attention_heads": heads, "decoder_attention_heads": heads,
        "encoder_ffn_dim": ffn, "decoder_ffn_dim": ffn, "torch_dtype": args.dtype,
    })
    n_mels, vocab, eot = config["num_mel_bins"], config["vocab_size"], config["eos_token_id"]

    for name in COPIED_FILES:
        source = os.path.join(args.template, name)
        if os.path.isfile(source):
            shutil.copyfile(source, os.path.join(args.output, name))
    generation_path = os.path.join(args.output, "generation_config.json")
    with open(generation_path, encoding="utf-8") as f:
        generation = json.load(f)
    generation["alignment_heads"] = ALIGNMENT_HEADS[args.size]
    with open(generation_path, "w", encoding="utf-8") as f:
        json.dump(generation, f, indent=2)
    with open(os.path.join(args.output, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)

    specs = tensor_specs(n_mels, vocab, d, layers, ffn)
    size_bytes = write_safetensors(os.path.join(args.output, "model.safetensors"), specs, args.dtype, args.seed,
                                   eot, args.eot_boost)
    params = sum(math.prod(shape) for _, shape, _ in specs)
    print(f"{args.output}: random whisper-{args.size} ({d} d_model, {layers}+{layers} layers, {heads} heads, "
          f"{n_mels} mels, vocab {vocab}): {len(specs)} tensors, {params / 1e6:.1f} M parameters, "
          f"{size_bytes / 1e6:.0f} MB {args.dtype}")


if __name__ == "__main__":
    main()
