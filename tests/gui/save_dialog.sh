#!/bin/sh
# Exports go through the save dialog, as a user clicks them: right-click a plot, "Export PNG...", Enter. The file
# lands in the folder shown, the folder is remembered (the session's export_folder and, across runs,
# $XDG_CONFIG_HOME/uhop-studio/export-folder), and the next run's dialog opens in it with the next free name; a
# name that exists is replaced only after a second Save ("Replace", clicked or Enter). Waits on --dump-state.
# usage (inside xvfb-run): save_dialog.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
. "$(dirname "$0")/lib.sh"
export XDG_CONFIG_HOME="$out/config"  # this test's own remembered folder, whatever the user's is
cd "$out"                             # the working directory the dialog starts in
dump="$out/state.txt"
printf 'load builtin:glyphs count=12\nset lr=0.5\nstage1 steps=5\nwait\n' > "$out/script.txt"

# center NAME: the centre of rect.NAME in the dump, as "x y".
center() { value "rect.$1" | awk -F, '{ printf "%d %d", $1 + $3 / 2, $2 + $4 / 2 }'; }

open_dialog() {  # right-click the loss plot, click its menu's first item (Export PNG...)
  wait_for '[ -n "$(value rect.plot.loss)" ] && [ "$(value stage1_steps)" -ge 5 ]'
  xdotool mousemove --sync $(center plot.loss) click 3
  wait_for '[ -n "$(value rect.widget.menu.loss)" ]'
  click menu.loss
  wait_for '[ "$(value save_dialog)" = 1 ]'
}

# ---- run 1: the suggested name in the working directory
start_app --window 1280x800 --script "$out/script.txt" --dump-state "$dump"
open_dialog
test "$(value export_folder)" = ""  # nothing remembered yet: the dialog shows the working directory
wait_for '[ "$(value save_dialog_field)" = name ]'  # the name has the keyboard: Enter takes the suggested one
xdotool key Return
wait_for '[ "$(value save_dialog)" = 0 ] && [ -s "$out/loss-001.png" ]'
wait_for '[ "$(value export_folder)" = "$out" ]'
test "$(cat "$out/config/uhop-studio/export-folder")" = "$out"
mkdir "$out/exports" && cp "$out/loss-001.png" "$out/exports/"
echo "$out/exports" > "$out/config/uhop-studio/export-folder"  # as if the last export of another run went there
quit_app

# ---- run 2: the dialog opens in the remembered folder with the next free name; an existing name asks first
start_app --window 1280x800 --script "$out/script.txt" --dump-state "$dump"
wait_for '[ "$(value export_folder)" = "$out/exports" ]'
open_dialog
wait_for '[ "$(value save_dialog_field)" = name ]'  # the name field has the keyboard when the dialog opens
xdotool key Return  # the suggested name
wait_for '[ "$(value save_dialog)" = 0 ] && [ -s "$out/exports/loss-002.png" ]'
before=$(stat -c %s "$out/exports/loss-001.png")
: > "$out/exports/loss-001.png"  # emptied, so a replacement shows
open_dialog
wait_for '[ "$(value save_dialog_field)" = name ]'  # it opens with the name selected: typing replaces it
xdotool type --delay 20 "loss-001.png"
xdotool key Return
wait_for '[ -n "$(value save_dialog_error)" ]'  # "loss-001.png exists: Replace writes over it."
test ! -s "$out/exports/loss-001.png"         # not yet
# the dialog grew by the message line: click once the button lies inside it
inside='value rect.widget.save_button | awk -F, -v d="$(value rect.save_dialog)" "BEGIN { split(d, r, \",\") } { exit !(\$2 + \$4 <= r[2] + r[4]) }"'
wait_for "$inside"
click save_button                              # now labelled Replace
wait_for '[ "$(value save_dialog)" = 0 ] && [ -s "$out/exports/loss-001.png" ]'
test "$(stat -c %s "$out/exports/loss-001.png")" = "$before"
# and Enter confirms a Replace as well
: > "$out/exports/loss-001.png"
open_dialog
wait_for '[ "$(value save_dialog_field)" = name ]'
xdotool type --delay 20 "loss-001"   # the extension follows the format
xdotool key Return
wait_for '[ -n "$(value save_dialog_error)" ] && [ -z "$(value save_dialog_field)" ]'
xdotool key Return
wait_for '[ "$(value save_dialog)" = 0 ] && [ -s "$out/exports/loss-001.png" ]'
test "$(stat -c %s "$out/exports/loss-001.png")" = "$before"
test "$(value errors)" = 0
quit_app
echo "gui save dialog: ok"
