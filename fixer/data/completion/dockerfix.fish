# fish completion for dockerfix: `dockerfix --completion fish`. Written by `python -m fixer.completion` from the command's options: do not edit.

function __dockerfix_rules
    dockerfix --list-rules 2>/dev/null | while read -l id name rest
        echo $id
        echo $name
    end
end

complete -c dockerfix -n __fish_use_subcommand -f -a verify -d 'build PATH as it is and as fixed, and compare the images'
complete -c dockerfix -n __fish_use_subcommand -f -a server -d 'the language server (LSP over standard input and output), for editors'

complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -s h -l help -d 'show this help message and exit'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -s w -l write -d 'Fix the files in place'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l check -d 'Write nothing; exit 1 if a file would change or a finding remains'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l diff -d 'With --check or --write: also print the diffs'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l unsafe-fixes -d 'Also apply fixes that are not proven safe'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l exit-non-zero-on-fix -d 'With --write: exit 1 when a file was changed'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l select -x -a '(__fish_complete_list , __dockerfix_rules)' -d 'Only these rules (ids or names, comma-separated; ALL)'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l extend-select -x -a '(__fish_complete_list , __dockerfix_rules)' -d 'Rules to add to the selection'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l ignore -x -a '(__fish_complete_list , __dockerfix_rules)' -d 'Leave these rules out'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l runtime-base -x -a 'alpine scratch distroless' -d 'The base of runtime stages dockerfix writes (go-multi-stage); default alpine'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l context -x -a '(__fish_complete_directories)' -d 'The build context (default: the Dockerfile\'s directory, or the nearest ancest...'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l config -r -d 'Use this configuration file for every file (default: the nearest .dockerfix.t...'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l isolated -d 'Ignore all configuration files'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l exclude -x -d 'Leave these out of directory searches instead of the default exclusions (.git...'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l extend-exclude -x -d 'Leave these out of directory searches too (globs relative to the current dire...'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l force-exclude -d 'Leave out named files a directory search would (.gitignore, exclusions, node_...'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l stdin-filename -r -d 'The name of standard input in messages'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -s j -l jobs -x -d 'Fix N files at a time (default: the number of cores)'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l output-format -x -a 'text concise json sarif github' -d 'How findings are reported (default: text)'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -s o -l output-file -r -d 'Write the report to FILE instead of standard output (replaced in one step, wh...'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l statistics -d 'Count the findings per rule instead of listing them (with --write: those left)'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l show-fixes -d 'List the fixes made (or, without --write, to make) in each file'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -s q -l quiet -d 'Print findings and errors only: no summary, progress or warnings'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -s v -l verbose -d 'Say which build context each file was fixed with, and what each fix rests on'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l color -x -a 'auto always never' -d 'Colour the text output (default: auto, on a terminal unless NO_COLOR is set)'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l show-settings -d 'Show the settings each PATH gets: configuration file, build context and why...'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l list-rules -d 'List the rules'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l explain -x -a '(__fish_complete_list , __dockerfix_rules)' -d 'Show a rule\'s documentation'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l completion -x -a 'bash zsh fish' -d 'Print the completion script for SHELL (bash, zsh or fish)'
complete -c dockerfix -n 'not __fish_seen_subcommand_from verify server' -l version -d 'show program\'s version number and exit'

complete -c dockerfix -n '__fish_seen_subcommand_from verify' -s h -l help -d 'show this help message and exit'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l engine -x -a 'docker podman buildah' -d 'The engine to build with (default: docker with a running daemon, podman, buil...'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l pull -x -a 'missing always never' -d 'When to pull base images: missing (default: those the engine does not have)...'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l network -x -d 'The network of both builds\' RUN steps, as the engine\'s build takes it: none f...'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l make-standins -d 'Instead of verifying: tag local stand-ins (made from this machine\'s Debian pa...'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l run -d 'Also run both images (networking off) and compare'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l run-args -x -d 'Arguments for --run (implies --run)'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l stdin -r -d 'Standard input for --run'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l no-rebuild -d 'Skip measuring the rebuild after touching a source file'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l json -d 'Print the report as JSON'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l select -x -a '(__fish_complete_list , __dockerfix_rules)' -d 'Only these rules (ids or names, comma-separated; ALL)'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l extend-select -x -a '(__fish_complete_list , __dockerfix_rules)' -d 'Rules to add to the selection'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l ignore -x -a '(__fish_complete_list , __dockerfix_rules)' -d 'Leave these rules out'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l unsafe-fixes -d 'Also apply fixes that are not proven safe'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l runtime-base -x -a 'alpine scratch distroless' -d 'The base of runtime stages dockerfix writes (go-multi-stage); default alpine'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l context -x -a '(__fish_complete_directories)' -d 'The build context of both builds (default: found as for fixing)'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l config -r -d 'Use this configuration file (default: the nearest .dockerfix.toml or pyprojec...'
complete -c dockerfix -n '__fish_seen_subcommand_from verify' -l isolated -d 'Ignore all configuration files'

complete -c dockerfix -n '__fish_seen_subcommand_from server' -s h -l help -d 'show its help'
