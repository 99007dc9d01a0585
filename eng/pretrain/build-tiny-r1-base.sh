# bash eng/pretrain/build-tiny-r1-base.sh --publish   (stages Debian's text packages, pretrains preset:tiny-r1-128 on them, then an instruction stage; --publish copies the result to data/models/tiny-r1-base and data/general)
#
# The recipe of the embedded default's base model (issue 16). Steps:
#   1. installs the text packages below (apt, as root) and records their versions;
#   2. copies each package's text files (from `dpkg -L`, so only that package's files) to artifacts/pretrain/corpus/<package>/;
#   3. runs (a copy of) `tuneforge-engine pretrain --job eng/pretrain/tiny-r1-base.job.json --out artifacts/pretrain/run` under nice,
#      resuming from its checkpoints when it was interrupted;
#   4. --stop-after STEP ends the run after that step with the whole run's schedule (a long run in parts); a later run
#      without it resumes from the checkpoints to the end;
#   5. the instruction stage: eng/pretrain/instruct-pairs.py makes question/answer records from the same packages (not
#      the held-out pages), and `./build.sh Train --pipeline eng/pretrain/tiny-r1-chat.yaml` trains the pretrained
#      model on them in full (cached like any Train: a second run with the same inputs does nothing);
#   6. with --publish: that model's model.safetensors, config.json, generation_config.json -> data/models/tiny-r1-base/,
#      the held-out documents -> data/general/heldout-{zh,en}.jsonl (see their PROVENANCE.md files).
set -euo pipefail
publish=false
stop=()
while [ $# -gt 0 ]; do
  case "$1" in
    --publish) publish=true ;;
    --stop-after) stop=(--stop-after "$2"); shift ;;
    *) echo "usage: $0 [--publish] [--stop-after STEP]" >&2; exit 2 ;;
  esac
  shift
done
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work=artifacts/pretrain
corpus="$work/corpus"

# package -> the files of it that hold text (extended regex over `dpkg -L`)
declare -A texts=(
  [debian-reference-zh-cn]='\.zh-cn\.txt\.gz$'
  [debian-faq-zh-cn]='\.zh-cn\.txt\.gz$'
  [maint-guide-zh-cn]='\.zh-cn\.txt\.gz$'
  [manpages-zh]='^/usr/share/man/zh_CN/.*\.gz$'
  [libreoffice-help-zh-cn]='\.html$'
  [fortunes-zh]='^/usr/share/games/fortunes/(chinese|tang300|song100)$'
  [debian-reference-en]='\.en\.txt\.gz$'
  [debian-faq]='/debian-faq\.en\.txt\.gz$'
  [maint-guide]='\.en\.txt\.gz$'
  [fortunes-min]='^/usr/share/games/fortunes/fortunes$'
)
packages=(debian-reference-zh-cn debian-faq-zh-cn maint-guide-zh-cn manpages-zh libreoffice-help-zh-cn fortunes-zh
          debian-reference-en debian-faq maint-guide fortunes-min)

missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rm -rf "$corpus"
mkdir -p "$corpus"
for p in "${packages[@]}"; do
  mkdir -p "$corpus/$p"
  dpkg -L "$p" | grep -E "${texts[$p]}" | while read -r f; do
    if [ -f "$f" ] || [ -L "$f" ]; then cp -P --parents "$f" "$corpus/$p/"; fi
  done
done
dpkg-query -W -f='${Package}\t${Version}\n' "${packages[@]}" > "$work/packages.tsv"
echo "corpus staged from: $(tr '\t' ' ' < "$work/packages.tsv" | paste -sd, -)"

# The engine runs from its own copy, so a rebuild of the source tree during the run does not touch its files.
dotnet build src/Tuneforge.Engine.Cli -c Release -v q -nologo >/dev/null
rm -rf "$work/engine" && cp -r src/Tuneforge.Engine.Cli/bin/Release/net10.0 "$work/engine"
engine="$work/engine/tuneforge-engine"
start=$(date +%s)
nice -n 10 "$engine" pretrain --job eng/pretrain/tiny-r1-base.job.json --out "$work/run" --format text "${stop[@]}"
echo "pretrain wall time: $(( $(date +%s) - start )) s on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"

[ ${#stop[@]} -gt 0 ] && { echo "pretraining stopped early (--stop-after): run again without it to finish, then the instruction stage runs"; exit 0; }

/usr/bin/python3 eng/pretrain/instruct-pairs.py "$corpus" "$work/run/heldout.jsonl" > "$work/instruct.jsonl"
start=$(date +%s)
nice -n 10 ./build.sh Train --pipeline eng/pretrain/tiny-r1-chat.yaml
echo "instruction stage wall time: $(( $(date +%s) - start )) s"

if $publish; then
  target=data/models/tiny-r1-base
  mkdir -p "$target" data/general
  cp artifacts/tiny-r1-chat/train/model/{model.safetensors,config.json,generation_config.json} "$target/"
  for lang in zh en; do grep "\"language\":\"$lang\"" "$work/run/heldout.jsonl" > "data/general/heldout-$lang.jsonl"; done
  sha256sum "$target/model.safetensors"
fi
