#!/bin/sh
# The Capacity window under Xvfb: a script opens it with the capacity-exponential-threshold preset, then the phase
# diagram, the basin and the three laws (small sizes), waits for each (the lab computes on its own thread), takes a
# screenshot of each view and exports its figure (SVG, PNG, CSV); then
#  - every export exists and each screenshot has content where the window's plot is (png_region_check);
#  - the curve's CSV equals what `uhop capacity` measures with the same settings (retrieved per alpha, beta 1);
#  - a bad `capacity` line is refused before anything runs.
# usage (from CTest, inside xvfb-run): capacity.sh UHOP_STUDIO PNG_REGION_CHECK UHOP_CLI OUT_DIR
set -eu
app=$1; check=$2; cli=$3; out=$4
rm -rf "$out"; mkdir -p "$out"
cat > "$out/script.txt" <<SCRIPT
capacity preset=capacity-exponential-threshold trials=40 alphas=0.1:0.75:12
wait
screenshot $out/curves.png
export-plot capacity-curves $out/capacity-curves.svg
export-plot capacity-curves $out/capacity-curves.png
export-plot capacity-curves $out/capacity-curves.csv
capacity view=phase dim=8 trials=12 alphas=0.1:1.3:10 betas=0.25:3:8
wait
screenshot $out/phase.png
export-plot capacity-phase $out/capacity-phase.svg
export-plot capacity-phase $out/capacity-phase.png
export-plot capacity-phase $out/capacity-phase.csv
capacity view=basin dim=12 trials=30 rhos=0.3:1:8
wait
screenshot $out/basin.png
export-plot capacity-basin $out/capacity-basin.svg
export-plot capacity-basin $out/capacity-basin.png
export-plot capacity-basin $out/capacity-basin.csv
capacity view=laws trials=6
wait
screenshot $out/laws.png
export-plot capacity-laws $out/capacity-laws.svg
export-plot capacity-laws $out/capacity-laws.png
export-plot capacity-laws $out/capacity-laws.csv
SCRIPT
"$app" --script "$out/script.txt" --frames 5 --dump-state "$out/state.txt"
cat "$out/state.txt"
grep -qx "error=" "$out/state.txt"
grep -qx "capacity_open=1" "$out/state.txt"
grep -qx "capacity_running=0" "$out/state.txt"
grep -qx "capacity_view=laws" "$out/state.txt"
grep -qx "capacity_rows=16" "$out/state.txt"
grep -qx "capacity_error=" "$out/state.txt"
for v in curves phase basin laws; do
  for ext in svg png csv; do test -s "$out/capacity-$v.$ext"; done
  "$check" "$out/$v.png" 0.15 0.40 0.85 0.85 5 0.05
done
# The window's curve equals the CLI's measurement with the same settings.
alphas=$(python3 -c "print(','.join(repr(0.1 + (0.75 - 0.1) * i / 11) for i in range(12)))")
"$cli" capacity --model exponential --patterns spherical --dim 16 --alphas "$alphas" --beta 1,2 --trials 40 \
  --out "$out/cli.csv" 2> /dev/null
python3 - "$out/capacity-curves.csv" "$out/cli.csv" <<'PY'
import csv, sys
plot = list(csv.DictReader(open(sys.argv[1])))
cli = [r for r in csv.DictReader(open(sys.argv[2])) if r["beta"] == "1"]
got = {float(r["x"]): float(r["retrieved, beta 1"]) for r in plot if r.get("retrieved, beta 1")}
assert len(got) == 12, got
for r in cli:
    assert got[float(r["alpha"])] == float(r["retrieved"]), (r["alpha"], got[float(r["alpha"])], r["retrieved"])
print("capacity curve: the Studio's 12 points equal uhop capacity's")
PY
# A bad line is refused before anything runs (exit status 1: the script had errors).
printf 'capacity view=phase model=hebbian\n' > "$out/bad.txt"
if "$app" --script "$out/bad.txt" --frames 3 --dump-state "$out/bad-state.txt" 2> "$out/bad-err.txt"; then
  echo "a bad capacity line was accepted"; exit 1
fi
grep -q "exponential model only" "$out/bad-err.txt" "$out/bad-state.txt"
echo "capacity GUI: ok"
