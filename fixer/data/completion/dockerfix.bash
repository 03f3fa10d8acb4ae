# bash completion for dockerfix: `dockerfix --completion bash`. Written by `python -m fixer.completion` from the command's options: do not edit.

_dockerfix_rules() {
    dockerfix --list-rules 2>/dev/null | while read -r id name _; do printf '%s\n%s\n' "$id" "$name"; done
}

_dockerfix() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" command="" options i
    if [[ $prev == "=" ]]; then prev="${COMP_WORDS[COMP_CWORD-2]}"; fi
    if [[ $cur == "=" ]]; then cur=""; fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
            verify|server) command="${COMP_WORDS[i]}"; break ;;
        esac
    done
    case "$command $prev" in
        " --fail-level")
            COMPREPLY=($(compgen -W "error warning info style none" -- "$cur")); return ;;
        " --select"|" --extend-select"|" --ignore"|" --explain"|"verify --select"|"verify --extend-select"|"verify --ignore")
            local listed=""; [[ $cur == *,* ]] && listed="${cur%,*},"; COMPREPLY=($(compgen -P "$listed" -W "$(_dockerfix_rules)" -- "${cur##*,}")); return ;;
        " --runtime-base"|"verify --runtime-base")
            COMPREPLY=($(compgen -W "alpine scratch distroless" -- "$cur")); return ;;
        " --context"|"verify --context")
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        " --config"|" --stdin-filename"|" -o"|" --output-file"|"verify --stdin"|"verify --config")
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        " --exclude"|" --extend-exclude"|" -j"|" --jobs"|"verify --network"|"verify --run-args")
            COMPREPLY=(); return ;;
        " --output-format")
            COMPREPLY=($(compgen -W "text concise json sarif github gitlab rdjson junit checkstyle" -- "$cur")); return ;;
        " --color")
            COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        " --completion")
            COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
        "verify --engine")
            COMPREPLY=($(compgen -W "docker podman buildah" -- "$cur")); return ;;
        "verify --pull")
            COMPREPLY=($(compgen -W "missing always never" -- "$cur")); return ;;
    esac
    case "$command" in
        '') options="-h --help -w --write --check --diff --unsafe-fixes --exit-non-zero-on-fix --fail-level --exit-zero --select --extend-select --ignore --runtime-base --context --config --isolated --exclude --extend-exclude --force-exclude --stdin-filename -j --jobs --output-format -o --output-file --statistics --show-fixes -q --quiet -v --verbose --color --show-settings --list-rules --explain --completion --version" ;;
        verify) options="-h --help --engine --pull --network --make-standins --run --run-args --stdin --no-rebuild --json --select --extend-select --ignore --unsafe-fixes --runtime-base --context --config --isolated" ;;
        server) options="-h --help" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    if [[ -z $command ]]; then COMPREPLY+=($(compgen -W "verify server" -- "$cur")); fi
}

complete -o filenames -o bashdefault -F _dockerfix dockerfix
