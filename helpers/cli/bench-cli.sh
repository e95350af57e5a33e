#!/usr/bin/env bash
# Whole-process wall time of verify-pdf against poppler's pdfsig on the same
# signed PDF, run alternately so both see the same machine load.
#   helpers/cli/bench-cli.sh [file.pdf] [runs]
# Without a file it signs a ~1 MB one first (helpers/cli/bench-verify.ts writes it).
set -euo pipefail
cd "$(dirname "$0")/../.."
file=${1:-}
runs=${2:-15}
if [[ -z $file ]]; then
  file=$(mktemp --suffix=.pdf)
  node --import tsx helpers/cli/bench-verify.ts 1000000 "$file" >/dev/null
fi
command -v pdfsig >/dev/null || { echo "pdfsig not found (apt-get install poppler-utils)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2; }
node helpers/cli/verify-pdf.mjs "$file" >/dev/null || true # builds the bundle and its code cache once
declare -A wall cpu
cpufile=$(mktemp)
for ((i = 0; i < runs; i++)); do
  for cmd in "pdfsig $file" "node helpers/cli/verify-pdf.mjs $file" "node -e 0"; do
    s=$(date +%s%N)
    # shellcheck disable=SC2086
    /usr/bin/time -o "$cpufile" -f '%U %S' $cmd >/dev/null 2>&1 || true
    wall[$cmd]+="$(( ($(date +%s%N) - s) / 1000000 )) "
    cpu[$cmd]+="$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$cpufile") "
  done
done
printf '%s bytes, %s runs each, load average %s\n' "$(stat -c %s "$file")" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
for cmd in "pdfsig $file" "node helpers/cli/verify-pdf.mjs $file" "node -e 0"; do
  # shellcheck disable=SC2086
  sorted=$(printf '%s\n' ${wall[$cmd]} | sort -n)
  median=$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  # shellcheck disable=SC2086
  cpumedian=$(printf '%s\n' ${cpu[$cmd]} | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '  wall median %5s ms  min %5s ms  cpu (user+sys) median %4s ms  %s\n' "$median" "$(echo "$sorted" | head -1)" "$cpumedian" "${cmd/$file/file.pdf}"
done
