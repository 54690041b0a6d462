# The GUI tests' shared shell helpers, sourced by every script in tests/gui/ (`. "$(dirname "$0")/lib.sh"`). They read
# the --dump-state file the app rewrites while its state changes, so tests wait on the app's own report, never on
# fixed sleeps. Scripts set $dump (the dump file) before calling them.

# value KEY [FILE]: the value of the last "KEY=" line of FILE (default $dump); empty when there is none.
value() { sed -n "s/^$1=//p" "${2:-$dump}" 2>/dev/null | tail -1; }

# wait_for CONDITION [FILE]: polls until the shell condition holds (up to 240 s) while FILE (default $dump) exists;
# the condition may use $f for the file. On timeout prints the condition and the dump, and fails.
wait_for() {
  f=${2:-$dump}
  i=0
  while [ $i -lt 1200 ]; do
    if [ -s "$f" ] && eval "$1"; then return 0; fi
    i=$((i + 1))
    sleep 0.2
  done
  echo "timed out waiting for: $1"; cat "$f" 2>/dev/null; return 1
}

# click NAME: a left click at the centre of the widget's rect (rect.widget.NAME in the dump).
click() {
  set -- $(value "rect.widget.$1" | tr ',' ' ')
  [ $# -eq 4 ] || { echo "no rect for the widget to click"; return 1; }
  xdotool mousemove --sync $(($1 + $3 / 2)) $(($2 + $4 / 2)) click 1
}

# start_app ARGS...: launches "$app" ARGS in the background (its pid in $pid) and waits until its window is mapped.
start_app() {
  "$app" "$@" &
  pid=$!
  xdotool search --sync --name "U-Hop Studio" >/dev/null
}

# quit_app: Ctrl+Q, as a user quits, then the app's exit status.
quit_app() {
  xdotool key --clearmodifiers ctrl+q
  wait $pid
}
