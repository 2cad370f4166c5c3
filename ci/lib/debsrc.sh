# Sourced by ci scripts: make `apt-get source` work (deb-src entries matching
# the machine's deb entries), idempotently.
debsrc_enable() {
    local f=/etc/apt/sources.list.d/dumpbench-src.sources
    if [ ! -f "$f" ]; then
        local src
        for src in /etc/apt/sources.list.d/*.sources; do
            [ -f "$src" ] || continue
            [ "$src" = "$f" ] && continue
            sed -n 's/^Types: deb$/Types: deb-src/; p' "$src"
            echo
        done > "$f.tmp"
        if ! grep -q '^Types: deb-src' "$f.tmp"; then
            # classic sources.list
            grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | sed 's/^deb /deb-src /' > /etc/apt/sources.list.d/dumpbench-src.list
            rm -f "$f.tmp"
        else
            mv "$f.tmp" "$f"
        fi
        apt-get update -q >/dev/null 2>&1 || true
    fi
}
