/* The completion scripts the shells load (see scripts.h). */
#include "cmd/completion/scripts.h"

#include <string.h>

/* clang-format off */
static const char bash_script[] =
	"# bash completion for mahavishnu: source <(mahavishnu completion bash)\n"
	"_mahavishnu() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} IFS=$'\\n' out\n"
	"\tout=$(\"${COMP_WORDS[0]}\" completion --words -- \"${COMP_WORDS[@]:1:COMP_CWORD}\" 2>/dev/null) || return 0\n"
	"\tcase $out in\n"
	"\t:files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
	"\t:dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
	"\t*) COMPREPLY=($(printf '%s\\n' \"$out\" | cut -f1)) ;;\n"
	"\tesac\n"
	"\treturn 0\n"
	"}\n"
	"complete -F _mahavishnu mahavishnu\n";

static const char zsh_script[] =
	"#compdef mahavishnu\n"
	"# zsh completion for mahavishnu: source <(mahavishnu completion zsh) after compinit,\n"
	"# or save it as _mahavishnu in a folder of $fpath\n"
	"_mahavishnu() {\n"
	"\tlocal -a lines cands\n"
	"\tlocal line\n"
	"\tlines=(\"${(@f)$(\"${words[1]}\" completion --words -- \"${(@)words[2,CURRENT]}\" 2>/dev/null)}\")\n"
	"\tcase ${lines[1]} in\n"
	"\t:files) _files; return ;;\n"
	"\t:dirs) _files -/; return ;;\n"
	"\tesac\n"
	"\tfor line in \"${lines[@]}\"; do\n"
	"\t\t[[ -z $line ]] && continue\n"
	"\t\tif [[ $line == *$'\\t'* ]]; then\n"
	"\t\t\tcands+=(\"${${line%%$'\\t'*}//:/\\\\:}:${line#*$'\\t'}\")\n"
	"\t\telse\n"
	"\t\t\tcands+=(\"${line//:/\\\\:}\")\n"
	"\t\tfi\n"
	"\tdone\n"
	"\t_describe -t values mahavishnu cands\n"
	"}\n"
	"if [[ ${funcstack[1]} == _mahavishnu ]]; then\n"
	"\t_mahavishnu \"$@\"\n"
	"else\n"
	"\tcompdef _mahavishnu mahavishnu\n"
	"fi\n";

static const char fish_script[] =
	"# fish completion for mahavishnu:\n"
	"#   mahavishnu completion fish > ~/.config/fish/completions/mahavishnu.fish\n"
	"function __mahavishnu_complete\n"
	"\tset -l words (commandline -opc)\n"
	"\tset -l cur (commandline -ct)\n"
	"\tset -l out ($words[1] completion --words -- $words[2..-1] \"$cur\" 2>/dev/null)\n"
	"\tswitch \"$out[1]\"\n"
	"\t\tcase ':files'\n"
	"\t\t\t__fish_complete_path \"$cur\"\n"
	"\t\tcase ':dirs'\n"
	"\t\t\t__fish_complete_directories \"$cur\"\n"
	"\t\tcase '*'\n"
	"\t\t\tprintf '%s\\n' $out\n"
	"\tend\n"
	"end\n"
	"complete -c mahavishnu -f -a '(__mahavishnu_complete)'\n";
/* clang-format on */

const char *
completion_script(const char *shell)
{
	if (!strcmp(shell, "bash"))
		return bash_script;
	if (!strcmp(shell, "zsh"))
		return zsh_script;
	if (!strcmp(shell, "fish"))
		return fish_script;
	return NULL;
}
