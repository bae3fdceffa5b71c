#!/usr/bin/env bash
# Regenerates the designation word lists bundled in crypto/src/main/resources.
#
# Designations ("adjective noun") are what journalists call a source. The words are the EFF
# large diceware list (already curated for being common, short and inoffensive) intersected
# with WordNet 3.0 (Debian package wordnet-base), keeping a word as an adjective or a noun
# only when that is its most frequent tagged part of speech in WordNet. Needs: wordnet-base.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
eff=${EFF_LIST:-$here/../../../shared/data/eff_large_wordlist.txt}
wn=${WORDNET_DIR:-/usr/share/wordnet}
out=$here/../src/main/resources/org/oniondrop/crypto/words
[ -r "$wn/index.adj" ] || { echo "needs WordNet: apt-get install wordnet-base" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cut -f2 "$eff" | grep -E '^[a-z]{3,9}$' | sort -u > "$tmp/eff"
# lemma pos synset_cnt p_cnt [ptr_symbol x p_cnt] sense_cnt tagsense_cnt offsets...
for pos in adj noun verb adv; do
  awk -v pos="$pos" '!/^ / { print $1, $(5 + $4) }' "$wn/index.$pos" | sort -k1,1 > "$tmp/$pos"
done
join -a1 -e0 -o 0,2.2 "$tmp/eff" "$tmp/adj" | join -a1 -e0 -o 0,1.2,2.2 - "$tmp/noun" \
  | join -a1 -e0 -o 0,1.2,1.3,2.2 - "$tmp/verb" | join -a1 -e0 -o 0,1.2,1.3,1.4,2.2 - "$tmp/adv" \
  > "$tmp/counts"
grep -q . "$tmp/counts"
awk '$2 > 0 && $2 >= $3 && $2 >= $4 && $2 >= $5 { print $1 }' "$tmp/counts" > "$out/adjectives.txt"
awk '$3 > 0 && $3 > $2 && $3 >= $4 && $3 >= $5 { print $1 }' "$tmp/counts" > "$out/nouns.txt"
wc -l "$out/adjectives.txt" "$out/nouns.txt"
