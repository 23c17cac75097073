# Sourced by the deploy tests: reads deploy/Dockerfile the way Docker does, enough for checks.

# One instruction per line: comment lines dropped (Docker drops them inside continuations too),
# backslash continuations joined, runs of white space squeezed to one space. Each line is
# prefixed with its stage number (1 for the first FROM) and a tab.
dockerfile_instructions() {
  awk '
    /^[[:space:]]*#/ { next }
    /^[[:space:]]*$/ { next }
    {
      line = $0
      if (line ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", line); buf = buf line " "; next }
      buf = buf line
      gsub(/[[:space:]]+/, " ", buf); sub(/^ /, "", buf); sub(/ $/, "", buf)
      if (toupper(buf) ~ /^FROM /) stage++
      print stage "\t" buf
      buf = ""
    }
    END { if (buf != "") { gsub(/[[:space:]]+/, " ", buf); print stage "\t" buf } }
  ' "$1"
}

# Number of stages (FROM instructions).
dockerfile_stage_count() {
  dockerfile_instructions "$1" | awk -F'\t' 'toupper($2) ~ /^FROM / { n++ } END { print n + 0 }'
}

# The instructions of the last stage (the image that runs), without the stage prefix.
dockerfile_final_stage() {
  local last
  last=$(dockerfile_stage_count "$1")
  dockerfile_instructions "$1" | awk -F'\t' -v s="$last" '$1 == s { print $2 }'
}

# The instructions of the stage named NAME (FROM ... AS NAME), without the stage prefix.
dockerfile_named_stage() {
  dockerfile_instructions "$1" | awk -F'\t' -v name="$2" '
    toupper($2) ~ /^FROM / { n = split($2, w, " "); current = (n >= 4 && toupper(w[n-1]) == "AS" && w[n] == name) }
    current { print $2 }'
}

# The packages named by `apt-get install` in the last stage, one a line: the words after
# `install` up to the end of that command (&&, ;, |), options left out.
dockerfile_runtime_packages() {
  dockerfile_final_stage "$1" | awk '
    /^RUN / && /apt-get( -[^ ]+)* install/ {
      text = $0
      sub(/.*apt-get( -[^ ]+)* install /, "", text)
      sub(/(&&|;|\|).*/, "", text)
      n = split(text, w, " ")
      for (i = 1; i <= n; i++) if (w[i] !~ /^-/) print w[i]
    }'
}
