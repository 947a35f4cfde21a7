#!/usr/bin/env python3
"""Reference speed for `benchtop-cli bench embed`: sentence-transformers encode() on the same model folder and texts,
on CUDA in fp32 and fp16 (the peer most users know). Prints JSON: texts/s and tokens/s per precision (median of
--runs), and the embeddings' agreement between fp16 and fp32 (mean cosine), so the GPU check can compare both.
Tooling for tools/gpu/check.sh only; Benchtop never needs Python."""
import argparse
import json
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--input", required=True, help="one text per line")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    texts = [line.rstrip("\n") for line in open(args.input, encoding="utf-8") if line.strip()]
    out = {"model": args.model, "texts": len(texts), "device": torch.cuda.get_device_name(0), "results": {}}
    reference = None
    for precision in ("fp32", "fp16"):
        model = SentenceTransformer(args.model, device="cuda")
        if precision == "fp16":
            model = model.half()
        tokens = sum(len(model.tokenizer(t, truncation=True)["input_ids"]) for t in texts)
        model.encode(texts[: args.batch_size], batch_size=args.batch_size)  # warm-up
        times = []
        for _ in range(args.runs):
            torch.cuda.synchronize()
            start = time.perf_counter()
            emb = model.encode(texts, batch_size=args.batch_size, convert_to_tensor=True, normalize_embeddings=True)
            torch.cuda.synchronize()
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        result = {"seconds": seconds, "texts_per_s": len(texts) / seconds, "tokens_per_s": tokens / seconds}
        emb = emb.float()
        if reference is None:
            reference = emb
        else:
            result["mean_cosine_vs_fp32"] = float((emb * reference).sum(dim=1).mean())
        out["results"][precision] = result
        del model
        torch.cuda.empty_cache()
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
