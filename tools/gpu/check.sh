#!/usr/bin/env bash
# The GPU check of issue 14, as one prepared run for a machine with an NVIDIA GPU and PyTorch 2.x (CUDA) installed:
#   1. configure + build the headless tree (core, CLI, core tests) against the CUDA libtorch inside PyTorch;
#   2. `benchtop-cli devices --json` (GPU name, memory, compute capability, auto precision and reasons, NVML);
#   3. the core tests with BENCHTOP_DEVICE=cuda (fixtures in fp32, TF32 off);
#   4. speed on the same random-weight models and inputs: Benchtop `bench embed` / `bench transcribe` in fp32, fp16
#      and bf16 against sentence-transformers `encode()` and transformers' Whisper `generate` (reference_*.py).
# Everything goes into $OUT (default ./gpu-check-out): logs, JSON and a summary.txt with the ratios.
# Usage: OUT=/some/dir BENCHTOP_SHARED_DIR=/path/to/shared tools/gpu/check.sh [--quick]
# Needs: cmake >= 3.25, ninja, a C++17 compiler, nvidia-smi, python3 with torch (CUDA), transformers and
# sentence-transformers; the system libraries of packaging/linux/install-deps-debian.sh minus Qt.
# Note: PyTorch wheels before 2.7 were built with -D_GLIBCXX_USE_CXX11_ABI=0; Benchtop then cannot link C++
# libraries built with the new ABI (sentencepiece). configure.log says which ABI the found libtorch uses.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-$PWD/gpu-check-out}
SHARED=${BENCHTOP_SHARED_DIR:-$PWD/../shared}
PY=${PYTHON:-python3}
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
mkdir -p "$OUT"
summary="$OUT/summary.txt"
: > "$summary"
say() { echo "$*" | tee -a "$summary"; }
step() { local name=$1; shift; local start=$(date +%s); "$@"; local rc=$?; say "$name: rc=$rc in $(( $(date +%s) - start )) s"; return $rc; }

say "GPU check $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || say "nvidia-smi failed (no GPU driver?)"
prefix=$($PY -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>"$OUT/python-torch.err") ||
  { say "python3 has no torch: $(cat "$OUT/python-torch.err")"; exit 1; }
say "PyTorch: $($PY -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda, "cxx11abi", torch._C._GLIBCXX_USE_CXX11_ABI)')"
[ -d "$SHARED/models" ] || { say "no shared material at $SHARED (set BENCHTOP_SHARED_DIR)"; exit 1; }

configure() {
  cmake -S . -B build/gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DBENCHTOP_BUILD_GUI=OFF -DBENCHTOP_BUILD_TESTS=ON \
    -DCMAKE_PREFIX_PATH="$prefix" -DBENCHTOP_SHARED_DIR="$SHARED" > "$OUT/configure.log" 2>&1
}
build() { cmake --build build/gpu -j"$(nproc)" > "$OUT/build.log" 2>&1; }
step configure configure || { tail -40 "$OUT/configure.log"; exit 1; }
step build build || { grep -m 20 -E "error|undefined reference" "$OUT/build.log"; exit 1; }
CLI=build/gpu/app/cli/benchtop-cli

step devices "$CLI" devices --json > "$OUT/devices.json" 2> "$OUT/devices.err"
$CLI devices | tee -a "$summary"

# Fixtures on CUDA in fp32 with TF32 off (NVIDIA_TF32_OVERRIDE=0 also covers cuBLAS inside libtorch).
cuda_tests() {
  BENCHTOP_DEVICE=cuda BENCHTOP_PRECISION=fp32 NVIDIA_TF32_OVERRIDE=0 \
    ctest --test-dir build/gpu -LE "ui|packaging|format" -j4 --timeout 600 --output-on-failure > "$OUT/ctest-cuda.log" 2>&1
}
step "core tests on CUDA" cuda_tests
grep -E "tests passed|tests failed" "$OUT/ctest-cuda.log" | tee -a "$summary"

# Speed: random-weight models of real sizes, the benchmark corpus, the fixtures' audio.
models="$OUT/models"
mkdir -p "$models"
$PY "$SHARED/tools/make_random_model.py" "$models/bge-small" --preset small --init hf > "$OUT/make-models.log" 2>&1
[ $QUICK -eq 1 ] || $PY "$SHARED/tools/make_random_model.py" "$models/xlmr-large" --arch xlm-roberta --preset large \
  --init hf >> "$OUT/make-models.log" 2>&1
$PY tools/speech/make_random_whisper.py --size small --template "$SHARED/models/tiny-whisper-v2" "$models/whisper-small" \
  >> "$OUT/make-models.log" 2>&1
[ $QUICK -eq 1 ] || $PY tools/speech/make_random_whisper.py --size large --template "$SHARED/models/tiny-whisper-v3" \
  "$models/whisper-large-v3" >> "$OUT/make-models.log" 2>&1
texts="$SHARED/bench/text_1000.txt"
audio="$SHARED/fixtures/whisper/audio/jfk.flac $SHARED/fixtures/whisper/audio/long45.wav $SHARED/fixtures/whisper/audio/en_espeak.wav"

for m in "$models"/bge-small "$models"/xlmr-large; do
  [ -d "$m" ] || continue
  name=$(basename "$m")
  step "bench embed $name" "$CLI" bench embed --model "$m" --input "$texts" --device cuda --precisions fp32,fp16,bf16 \
    --runs 3 > "$OUT/bench-embed-$name.txt" 2>&1
  step "reference embed $name" $PY tools/gpu/reference_embed.py --model "$m" --input "$texts" --runs 3 \
    > "$OUT/reference-embed-$name.json" 2> "$OUT/reference-embed-$name.err"
done
for m in "$models"/whisper-small "$models"/whisper-large-v3; do
  [ -d "$m" ] || continue
  name=$(basename "$m")
  # shellcheck disable=SC2086
  step "bench transcribe $name" "$CLI" bench transcribe --model "$m" --input $audio --device cuda \
    --precisions fp32,fp16,bf16 --skip-transcribe > "$OUT/bench-transcribe-$name.txt" 2>&1
  # shellcheck disable=SC2086
  step "reference whisper $name" $PY tools/gpu/reference_whisper.py --model "$m" --input $audio \
    > "$OUT/reference-whisper-$name.json" 2> "$OUT/reference-whisper-$name.err"
done
say "done; files in $OUT"
