#!/usr/bin/env bash
# test-docs.sh — the docs cannot drift from the code they point at:
#   1. every relative link in README.md and docs/*.md resolves: the file or folder exists; an #anchor into a
#      .md page names one of its headings; an #L<n> anchor into a source file names a line that exists and,
#      when the link text names a function in backticks (`RBM::cd_gradient`), holds that name;
#   2. every picture a page embeds (![alt](path) or <img src="path">) is an image file that exists;
#   3. every code block a page marks as quoted (`<!-- quoted: path -->` on the line before the fence)
#      appears, line for line and contiguously, in that file; docs/autodiff.md marks every cpp block,
#      either quoted or `<!-- example -->` (code written for the page, not copied from the source).
# Prints each breach; exit 1 if any.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0; links=0; quotes=0
fail() { echo "test-docs: $*"; bad=$((bad + 1)); }

# GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens
slugs() { grep -E '^#{1,6} ' "$1" | sed -E 's/^#+ +//; s/[][`.,:;!?(){}'"'"'"\/*+=<>&|~^$@%\\]//g; s/(—|–|·|’|“|”|→|×|≥|≤|‖)//g' | tr 'A-Z' 'a-z' | sed -E 's/ /-/g'; }

for page in README.md docs/*.md; do
    dir=$(dirname "$page")
    while IFS= read -r link; do
        text=${link%%](*}; text=${text#[}
        target=${link#*](}; target=${target%)}
        case $target in http://*|https://*|mailto:*|"") continue ;; esac
        links=$((links + 1))
        path=${target%%#*}; anchor=""
        [[ $target == *#* ]] && anchor=${target#*#}
        file=$page
        if [ -n "$path" ]; then
            file=$(realpath -m "$dir/$path")
            [ -e "$file" ] || { fail "$page: link [$text]($target): $path does not exist"; continue; }
        fi
        [ -n "$anchor" ] || continue
        if [[ $anchor =~ ^L([0-9]+)$ ]]; then
            n=${BASH_REMATCH[1]}
            line=$(sed -n "${n}p" "$file")
            [ "$n" -le "$(wc -l < "$file")" ] || { fail "$page: link [$text]($target): $path has no line $n"; continue; }
            if [[ $text =~ \`([^\`]+)\` ]]; then
                name=${BASH_REMATCH[1]}; name=${name%%(*}; name=${name##*::}
                if [[ $line != *"$name"* ]]; then
                    now=$(grep -n -E "^[^ /#].*$name *\(" "$file" | grep -v ';$' | head -n1 | cut -d: -f1)
                    fail "$page: link [$text]($target): line $n of $path no longer holds '$name'${now:+; its definition is now at line $now (#L$now)}"
                fi
            fi
        elif [[ $file == *.md ]]; then
            slugs "$file" | grep -qxF -- "$anchor" || fail "$page: link [$text]($target): no heading with anchor #$anchor in $file"
        fi
    done < <(grep -oE '\[[^]]*\]\([^) ]*\)' "$page")
done

# embedded pictures, as ![alt](path) or <img src="path">: the file exists and is an image (a PNG's first
# bytes, or a JPEG's, or SVG text), so a page cannot show a broken picture
images=0
for page in README.md docs/*.md; do
    dir=$(dirname "$page")
    while IFS= read -r src; do
        case $src in http://*|https://*) continue ;; esac
        images=$((images + 1))
        file=$(realpath -m "$dir/$src")
        if [ ! -s "$file" ]; then fail "$page: embeds $src, which does not exist (make pictures draws docs/img/)"; continue; fi
        case $(head -c 4 "$file" | od -An -tx1 | tr -d ' \n') in
            89504e47|ffd8ff*) ;;
            *) grep -q '<svg' "$file" || fail "$page: embeds $src, which is not a PNG, JPEG or SVG file" ;;
        esac
    done < <(grep -oE '!\[[^]]*\]\([^) ]+\)|<img [^>]*src="[^"]+"' "$page" | sed -E 's/^!\[[^]]*\]\(([^) ]+)\)$/\1/; s/^<img [^>]*src="([^"]+)"$/\1/')
done

# quoted code blocks
for page in docs/*.md; do
    prev=""; n=0
    while IFS= read -r line; do
        n=$((n + 1))
        if [[ $line == '```cpp'* || $line == '```c++'* ]] && [ "$page" = docs/autodiff.md ] &&
           [[ $prev != '<!-- quoted: '* && $prev != '<!-- example -->' ]]; then
            fail "$page:$n: a cpp block without <!-- quoted: path --> or <!-- example --> on the line before it"
        fi
        if [[ $prev =~ ^\<!--\ quoted:\ ([^ ]+)\ --\>$ ]] && [[ $line == '```'* ]] && [[ $line != '```' || 1 ]]; then
            src=${BASH_REMATCH[1]}
            if [[ $src == build/* ]]; then prev=$line; continue; fi  # program output: scripts/test-one-step.sh
            quotes=$((quotes + 1))
            [ -f "$src" ] || { fail "$page:$n: quotes $src, which does not exist"; prev=$line; continue; }
            block=$(awk -v start="$n" 'NR > start { if ($0 ~ /^```/) exit; print }' "$page")
            if ! awk -v block="$block" 'BEGIN { nb = split(block, want, "\n") }
                     { have[NR] = $0 }
                     END { for (s = 1; s + nb - 1 <= NR; s++) { ok = 1
                               for (k = 1; k <= nb; k++) if (have[s + k - 1] != want[k]) { ok = 0; break }
                               if (ok) exit 0 }
                           exit 1 }' "$src"; then
                fail "$page:$n: the quoted block is no longer in $src, line for line (update the page from the source)"
            fi
        fi
        prev=$line
    done < "$page"
done
[ $links -gt 0 ] && [ $quotes -gt 0 ] && [ $images -gt 0 ] || fail "found $links links, $quotes quoted blocks and $images pictures: nothing was checked"
if [ $bad -gt 0 ]; then echo "test-docs: $bad problems"; exit 1; fi
echo "test-docs: $links relative links resolve, $images embedded pictures exist, $quotes quoted blocks match their source"
