#!/bin/sh
# Issue 20 under Xvfb, as a lecturer uses the story: a click on the story bar's Tour button starts the Tour (it used
# to count as "any input" and end the story); Next steps to U-Hop's retrieval, where --dump-state reports the query's
# margins (MHM's negative in pixels, U-Hop's past ln(M-1)/beta in feature space); `story pace` sets the pace; and
# `story record` films the whole story without the recorder's own readout in the frames. Waits on --dump-state.
# usage (inside xvfb-run): story_class.sh UHOP_STUDIO OUT_DIR
set -eu
app=$1; out=$2
rm -rf "$out"; mkdir -p "$out"
. "$(dirname "$0")/lib.sh"

# 1. The Tour button during the autoplayed story.
dump="$out/tour.txt"
start_app --window 1280x720 --dump-state "$dump" --screenshot "$out/tour.png"
trap 'kill $pid 2>/dev/null || true' EXIT
wait_for '[ "$(value story)" = autoplay ] && [ -n "$(value rect.widget.story_tour)" ]'
click story_tour
wait_for '[ "$(value story_tour)" = 1 ]'
echo "Tour button: story=$(value story) story_tour=$(value story_tour)"
# Through the tour to step 4 (U-Hop retrieves the coat) with the Next button.
for k in 1 2 3; do
  wait_for '[ "$(value story_step_done)" = 1 ] && [ -n "$(value rect.widget.story_next)" ]'
  click story_next
  wait_for "[ \"\$(value story_step)\" = $k ]"
done
wait_for '[ "$(value story_step_done)" = 1 ] && [ "$(value busy)" = 0 ] && [ "$(value stage1_steps)" = 50 ]'
mhm=$(value query_margin_mhm); uhop=$(value query_margin_uhop)
echo "query margins at x_1: MHM $mhm, U-Hop $uhop (the story: beta = 1, ln(19) = 2.944)"
awk -v m="$mhm" -v u="$uhop" 'BEGIN { exit !(m < 0 && u > log(19)) }' || { echo "margins are not MHM < 0 < ln 19 < U-Hop"; exit 1; }
[ "$(value story_tour)" = 1 ] || { echo "the Tour ended before step 4"; exit 1; }
quit_app || { echo "the Studio exited with status $?"; exit 1; }

# 2. story pace and story record: the film ends a moment after the last step, the readout never drawn meanwhile.
dump="$out/record.txt"
printf 'story pace 1\nstory record %s\n' "$out/story.gif" > "$out/record-script.txt"
start_app --window 800x600 --script "$out/record-script.txt" --dump-state "$dump"
wait_for '[ "$(value recording_story)" = 1 ]'
[ "$(value story_pace)" = 1 ] || { echo "story pace 1 was not applied: story_pace=$(value story_pace)"; exit 1; }
# Every poll of the dump also notes whether the readout was drawn while the story was being filmed.
# Both values are read from one copy of the dump: read one after the other from the live file, they could come from
# two versions (the film's last frame, then the first frame with the readout back).
wait_for 'cp "$dump" "$out/poll.txt";
          { [ "$(value recording_story "$out/poll.txt")" = 1 ] && [ "$(value record_readout "$out/poll.txt")" = 1 ] &&
            cp "$out/poll.txt" "$out/readout-seen"; } ;
          [ "$(value recording_story)" = 0 ] && [ "$(value recording)" = 0 ] && [ -n "$(value record_finished)" ]'
echo "$(value record_finished)"
[ ! -e "$out/readout-seen" ] || { echo "the recorder's readout was drawn while the story was filmed:"; cat "$out/readout-seen"; exit 1; }
# the whole story is in the film
[ "$(value story_step)" = 4 ] || { echo "the film ended at story step $(value story_step), not 4:"; cat "$dump"; exit 1; }
[ -s "$out/story.gif" ] || { echo "no film at $out/story.gif"; exit 1; }
quit_app || { echo "the Studio exited with status $?"; exit 1; }
