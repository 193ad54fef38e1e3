# bash completion for leakhound(1).
#
# Commands, flags and rule ids are read from the binary being completed
# (`leakhound help`, `leakhound CMD --help`, `leakhound rules`), once per
# shell, so the completion follows the binary it completes: a new flag or
# rule needs no edit here.

# The lines of `leakhound help` under "commands:", first word each.
_leakhound_commands() {
    "$1" help 2>/dev/null | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'
}

# Flags of one command, from its --help: every -flag/--flag token, one per
# line, "=false" and such cut off.
_leakhound_flags() {
    {
        "$1" "$2" --help 2>/dev/null |
            grep -oE "(^|[][ (,'])--?[A-Za-z][A-Za-z0-9_-]*" |
            sed -E "s/^[][ (,']//"
        echo --help
    } | sort -u
}

# The placeholder of a flag that takes a value, from the command's --help:
# on a definition line the flag is followed by one space and a placeholder
# (FILE, DIR, N, OLD.json) or a list of choices (text|json, a,b). Empty for
# a flag without a value.
_leakhound_placeholder() {
    "$1" "$2" --help 2>/dev/null |
        grep -oE -- "(^|[][ ,])--?[A-Za-z][A-Za-z0-9_-]* ([A-Z][A-Za-z0-9_.]*|[a-z_]+[|,][a-z_|,]*)([] ,]|$)" |
        sed -E "s/^[][ ,]//; s/[] ,]$//" | awk -v f="$3" '$1 == f { print $2; exit }'
}

# The choices a --help lists for a flag: "--format text|json|sarif" gives
# text, json and sarif.
_leakhound_choices() {
    "$1" "$2" --help 2>/dev/null |
        grep -oE -- "(^|[][ ])$3 [a-z_]+(\|[a-z_]+)+" | head -1 | sed -E 's/^[][ ]?[^ ]+ //' | tr '|' '\n'
}

_leakhound_rules() {
    "$1" rules 2>/dev/null | awk '{print $1}'
}

_leakhound() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    local bin=${COMP_WORDS[0]} cmd= i
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    command -v "$bin" >/dev/null 2>&1 || bin=leakhound
    # "--format=js": bash splits at '=' (COMP_WORDBREAKS), so the flag is
    # the word before the "=" word, and after "--format=" the cursor is on "=".
    if [ "$cur" = "=" ]; then
        cur=
    elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done

    if [ -z "$cmd" ]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_leakhound_commands "$bin")" -- "$cur"))
        fi
        return 0
    fi

    # The value of a flag.
    local ph=
    [[ $prev == -* ]] && ph=$(_leakhound_placeholder "$bin" "$cmd" "$prev")
    if [ -n "$ph" ]; then
        case $prev in
        --enable | -enable | --disable | -disable)
            # Comma-separated: complete the id after the last comma.
            local head= last=$cur
            if [[ $cur == *,* ]]; then
                head=${cur%,*},
                last=${cur##*,}
            fi
            local r
            for r in $(_leakhound_rules "$bin"); do
                [[ $r == "$last"* ]] && COMPREPLY+=("$head$r")
            done
            ;;
        --sample | -sample | -sample_index)
            # The heap profile's types; other profiles name their own.
            COMPREPLY=($(compgen -W "inuse_space inuse_objects alloc_space alloc_objects" -- "$cur"))
            ;;
        *)
            case $ph in
            DIR | DIRS) COMPREPLY=($(compgen -d -- "$cur")) ;;
            FILE | *.json | *.JSON) COMPREPLY=($(compgen -f -- "$cur")) ;;
            *)
                local choices
                choices=$(_leakhound_choices "$bin" "$cmd" "$prev") || true
                [ -n "$choices" ] && COMPREPLY=($(compgen -W "$choices" -- "$cur"))
                ;;
            esac
            ;;
        esac
        return 0
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_leakhound_flags "$bin" "$cmd")" -- "$cur"))
        return 0
    fi

    case $cmd in
    help)
        COMPREPLY=($(compgen -W "$(_leakhound_commands "$bin")" -- "$cur"))
        ;;
    explain)
        COMPREPLY=($(compgen -W "$(_leakhound_rules "$bin")" -- "$cur"))
        ;;
    scan | list)
        # Packages: directories, and the go command's "./..." form.
        COMPREPLY=($(compgen -d -- "$cur"))
        [[ ./... == "$cur"* ]] && COMPREPLY+=(./...)
        ;;
    rules | version) ;;
    *)
        # parse, the profile commands and any command added later: files
        # and directories.
        COMPREPLY=($(compgen -f -- "$cur"))
        ;;
    esac
    return 0
}

complete -o filenames -o bashdefault -F _leakhound leakhound
