#!/usr/bin/env bash
# Checks that every C++ source git tracks is formatted as .clang-format says (clang-format 14, Debian 12's).
# Usage: tools/dev/check_format.sh [clang-format binary]   (run from anywhere inside the checkout)
# Fix with: git ls-files '*.cpp' '*.h' '*.mm' | xargs clang-format-14 -i
# Exit 0: formatted; 1: files to reformat (listed); 77: cannot check here (no git checkout or another version).
set -uo pipefail
formatter=${1:-clang-format-14}
cd "$(dirname "$0")/../.."
if ! command -v "$formatter" >/dev/null 2>&1; then
  echo "skipped: $formatter not found (install clang-format-14)"; exit 77
fi
version=$("$formatter" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
if [ "$version" != "14" ]; then
  echo "skipped: $formatter is version $version; the tree is formatted with clang-format 14"; exit 77
fi
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "skipped: not a git checkout"; exit 77
fi
bad=()
while IFS= read -r file; do
  [ -f "$file" ] || continue
  if ! "$formatter" --dry-run --Werror "$file" >/dev/null 2>&1; then bad+=("$file"); fi
done < <(git ls-files 'app/*.cpp' 'app/*.h' 'core/*.cpp' 'core/*.h' 'ui/*.cpp' 'ui/*.h' 'platform/*.cpp' \
                       'platform/*.h' 'platform/*.mm' 'tests/*.cpp' 'tests/*.h')
if [ ${#bad[@]} -gt 0 ]; then
  echo "${#bad[@]} file(s) are not formatted as .clang-format says:"
  printf '  %s\n' "${bad[@]}"
  echo "fix: $formatter -i <files>"
  exit 1
fi
echo "all C++ sources are formatted"
