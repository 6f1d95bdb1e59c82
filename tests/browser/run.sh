#!/usr/bin/env bash
# Browser test of the HTML report, run by .ci/run after `cargo test`.
#
# Opens the HTML report of the example story and of a hostile story (tests/fixtures/hostile) in headless
# Chromium with networking disabled (every request goes to a closed proxy port), takes screenshots (desktop and
# phone width), dumps the DOM and writes Chromium's network log; tests/browser/check.py then asserts from them
# that no script ran, no request was attempted, the hostile markup shows as text (its control characters in
# their visible <U+XXXX> form), and the claims and the graph are present. A control page that does run a script
# and load an image must be caught by the same checks, so a harness that silently sees nothing fails too.
# The hostile story's ClaimReview and PROV JSON-LD are also embedded in <script type="application/ld+json">
# elements of a page that runs a script of its own, with a control page that embeds them unescaped.
#
# Installs Debian's chromium if it is missing. Output (screenshots, DOMs, net logs) goes to
# target/browser/, kept by CI as artifacts. Exits non-zero with a message naming the failed check.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT="$ROOT/target/browser"
rm -rf "$OUT"
mkdir -p "$OUT"

fail() { echo "browser test FAILED: $*" >&2; exit 1; }

# --- Chromium
CHROMIUM=${CHROMIUM:-}
if [ -z "$CHROMIUM" ]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -x "$c" ] && { CHROMIUM=$c; break; }
  done
fi
if [ -z "$CHROMIUM" ]; then
  echo "== installing chromium (Debian package)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q || fail "apt-get update failed"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium || fail "could not install chromium"
  CHROMIUM=/usr/bin/chromium
fi
[ -x "$CHROMIUM" ] || fail "no chromium at $CHROMIUM"
command -v python3 >/dev/null || fail "python3 is needed for tests/browser/check.py"
echo "== $("$CHROMIUM" --version 2>/dev/null | head -1)"

# --- Reports (the debug binary `cargo test` just built; CARGO_TARGET_DIR is honoured)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN="$TARGET/debug/credence"
if [ ! -x "$BIN" ]; then
  cargo build --quiet || fail "cargo build failed"
fi
"$BIN" score examples/jisr-al-shughur/story.toml -q -o "$OUT/example.html" || fail "could not render the example"
"$BIN" score tests/fixtures/hostile/story.toml -q -o "$OUT/hostile.html" || fail "could not render the hostile story"
# The seed articles (raw text, extracted first) when shared/ is beside the repository, else the example's.
SEED=../shared/stories/jisr-al-shughur
[ -d "$SEED" ] || SEED=examples/jisr-al-shughur/articles
"$BIN" score "$SEED" -q -o "$OUT/seed.html" || fail "could not render the seed articles"
"$BIN" score tests/fixtures/hostile/story.toml -q -f claimreview -o "$OUT/hostile.claimreview.jsonld" \
  || fail "could not render the hostile ClaimReview"
"$BIN" score tests/fixtures/hostile/story.toml -q -f prov -o "$OUT/hostile.prov.jsonld" || fail "could not render the hostile PROV"
# The JSON-LD embedded the way schema.org shows it, <script type="application/ld+json">, in a page with no CSP
# that does run its own script: it parses each embedded document and records how many nodes each has. The
# hostile story's `</script>` and `<!--` must not end or change the element. The control page embeds the same
# values as a tool that does not escape them would (json.dumps as is); the checks must catch its breakout.
python3 tests/browser/check.py embed "$OUT/hostile.claimreview.jsonld" "$OUT/hostile.prov.jsonld" >"$OUT/jsonld.html" \
  || fail "could not build the JSON-LD page"
python3 tests/browser/check.py embed --raw "$OUT/hostile.claimreview.jsonld" "$OUT/hostile.prov.jsonld" \
  >"$OUT/jsonld-control.html" || fail "could not build the JSON-LD control page"
LD_NODES=$(python3 -c 'import json,sys; print(",".join(str(len(json.load(open(f))["@graph"])) for f in sys.argv[1:]))' \
  "$OUT/hostile.claimreview.jsonld" "$OUT/hostile.prov.jsonld")
CLAIMS=$("$BIN" score examples/jisr-al-shughur/story.toml -q --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["claims"]))')
cat > "$OUT/control.html" <<'HTML'
<!DOCTYPE html><html><head><title>Reliability report: control</title></head>
<body><script>document.title='RAN';document.body.setAttribute('data-ran','1')</script>
<img src="http://127.0.0.1:9/probe.png"></body></html>
HTML

# Every request the browser makes goes to a closed port; background services are off. A fresh profile per run.
chromium() {
  local profile
  profile=$(mktemp -d)
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
    --disable-background-networking --disable-component-update --disable-sync --disable-domain-reliability \
    --disable-extensions --disable-breakpad --mute-audio --hide-scrollbars \
    --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
    --user-data-dir="$profile" "$@" 2>>"$OUT/chromium.log"
  local rc=$?
  rm -rf "$profile"
  return $rc
}

# open NAME MODE [check args]: DOM + net log, then the checks.
open_page() {
  local name=$1 mode=$2
  shift 2
  chromium --virtual-time-budget=3000 --log-net-log="$OUT/$name.netlog.json" --dump-dom \
    "file://$OUT/$name.html" >"$OUT/$name.dom.html" || fail "chromium could not open $name.html (see $OUT/chromium.log)"
  [ -s "$OUT/$name.dom.html" ] || fail "chromium dumped an empty DOM for $name.html"
  python3 tests/browser/check.py "$mode" "$OUT/$name.dom.html" "$OUT/$name.netlog.json" "$@" \
    || fail "$name.html: see the FAIL lines above"
}

shot() {
  local name=$1 size=$2 png=$3
  chromium --virtual-time-budget=2000 --window-size="$size" --screenshot="$OUT/$png" "file://$OUT/$name.html" >/dev/null \
    || fail "screenshot of $name.html failed"
  [ -s "$OUT/$png" ] || fail "no screenshot $png"
}

echo "== control page (the checks must catch its script and request)"
open_page control control
echo "== example report ($CLAIMS claims)"
open_page example report --claims "$CLAIMS"
echo "== hostile story"
open_page hostile hostile
echo "== hostile JSON-LD in <script type=\"application/ld+json\"> (nodes $LD_NODES)"
open_page jsonld-control jsonld-control --nodes "$LD_NODES"
open_page jsonld jsonld --nodes "$LD_NODES"

# The layout, measured from a test page that holds each report in a frame of the size asked for and runs a
# probe script of its own (the reports themselves run none): at phone and desktop widths nothing but a scroll box (tables, the graph) may be wider than the window,
# and a claim must be whole in the first screen.
layout() {
  local name=$1 w=$2 h=$3
  python3 tests/browser/check.py probe "$OUT/$name.html" "$w" "$h" >"$OUT/$name.probe.$w.html" \
    || fail "could not build the probe of $name"
  chromium --virtual-time-budget=3000 --window-size=1400,1000 --dump-dom "file://$OUT/$name.probe.$w.html" \
    >"$OUT/$name.probe.$w.dom.html" || fail "chromium could not open $name.probe.$w.html"
  python3 tests/browser/check.py layout "$OUT/$name.probe.$w.dom.html" || fail "$name.html at ${w}x$h: see the FAIL lines above"
}
echo "== layout control (a page too wide for a phone must fail the layout check)"
cat > "$OUT/wide.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>wide</title></head>
<body><p>Supercalifragilisticexpialidocious_supercalifragilisticexpialidocious_supercalifragilistic</p>
<div style="width:700px">a box wider than a phone</div><p><a href="#claim-x">a claim far down</a></p></body></html>
HTML
python3 tests/browser/check.py probe "$OUT/wide.html" 390 844 >"$OUT/wide.probe.390.html"
chromium --virtual-time-budget=3000 --window-size=1400,1000 --dump-dom "file://$OUT/wide.probe.390.html" \
  >"$OUT/wide.probe.390.dom.html" || fail "chromium could not open wide.probe.390.html"
if python3 tests/browser/check.py layout "$OUT/wide.probe.390.dom.html" 2>/dev/null; then
  fail "the layout check passed a page wider than the phone: it would not notice an overflow"
fi
echo "layout control caught as expected"
echo "== layout at phone (390x844) and desktop (1280x900) widths"
for page in example seed hostile; do
  layout $page 390 844
  layout $page 1280 900
done

echo "== screenshots"
shot seed 1280,1800 seed-desktop.png
shot seed 390,1600 seed-phone.png
shot example 1280,1800 example-desktop.png
shot example 390,1600 example-phone.png
shot hostile 1280,1400 hostile-desktop.png
shot hostile 390,1400 hostile-phone.png
ls -l "$OUT"/*.png
echo "browser test passed; screenshots in target/browser/"
