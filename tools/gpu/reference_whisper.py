#!/usr/bin/env python3
"""Reference speed for `benchtop-cli bench transcribe`: Hugging Face transformers' Whisper on the same model folder
and audio, on CUDA in fp32 and fp16: encoder ms per 30 s window, decoder ms per token (greedy generate of up to
--max-new-tokens) and the real-time factor. Prints JSON. Tooling for tools/gpu/check.sh only."""
import argparse
import json
import statistics
import subprocess
import sys
import time


def load_audio(path, sr=16000):
    """16 kHz mono float32 through ffmpeg (as Whisper's own load_audio)."""
    import numpy as np

    raw = subprocess.run(["ffmpeg", "-nostdin", "-i", path, "-f", "s16le", "-ac", "1", "-ar", str(sr), "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.int16).astype(np.float32) / 32768.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", nargs="+", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-new-tokens", type=int, default=224)
    args = ap.parse_args()

    import torch
    from transformers import WhisperForConditionalGeneration, WhisperProcessor

    torch.backends.cuda.matmul.allow_tf32 = False
    processor = WhisperProcessor.from_pretrained(args.model)
    audios = [load_audio(p) for p in args.input]
    seconds_of_audio = sum(len(a) for a in audios) / 16000.0
    out = {"model": args.model, "audio_seconds": seconds_of_audio, "device": torch.cuda.get_device_name(0),
           "results": {}}
    for precision, dtype in (("fp32", torch.float32), ("fp16", torch.float16)):
        model = WhisperForConditionalGeneration.from_pretrained(args.model, torch_dtype=dtype).to("cuda").eval()
        feats = [processor(a[: 30 * 16000], sampling_rate=16000, return_tensors="pt").input_features.to("cuda", dtype)
                 for a in audios]
        with torch.inference_mode():
            model.model.encoder(feats[0])  # warm-up
            enc, dec, tokens = [], [], 0
            for _ in range(args.runs):
                for f in feats:
                    torch.cuda.synchronize()
                    t0 = time.perf_counter()
                    model.model.encoder(f)
                    torch.cuda.synchronize()
                    enc.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    ids = model.generate(f, max_new_tokens=args.max_new_tokens, do_sample=False)
                    torch.cuda.synchronize()
                    dec.append(time.perf_counter() - t0)
                    tokens += ids.shape[-1]
        per_run_tokens = tokens / args.runs
        total = statistics.median([sum(dec[i:i + len(feats)]) for i in range(0, len(dec), len(feats))])
        out["results"][precision] = {
            "encoder_ms_per_window": 1000 * statistics.median(enc),
            "decoder_ms_per_token": 1000 * total / max(1.0, per_run_tokens),
            "rtf_first_windows": total / min(seconds_of_audio, 30.0 * len(feats)),
        }
        del model
        torch.cuda.empty_cache()
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
