# Sourced by the e2e scripts that write a small narratives corpus of their own.
# narr_articles DATA NAME TEXT LABELS LANG...: for each LANG, the article
# DATA/LANG/raw-documents/LANG_NAME with TEXT, and its line "LANG_NAME<TAB>LABELS"
# in DATA/LANG/subtask-2-annotations.txt (LABELS: narratives<TAB>subnarratives,
# as the shared task writes them).
narr_articles() {
	d=$1 name=$2 text=$3 labels=$4
	shift 4
	for lang in "$@"; do
		mkdir -p "$d/$lang/raw-documents" &&
			printf '%s\n' "$text" > "$d/$lang/raw-documents/${lang}_$name" &&
			printf '%s\t%s\n' "${lang}_$name" "$labels" >> "$d/$lang/subtask-2-annotations.txt" || return 1
	done
}

# narr_workdir: t, a fresh directory removed when the script exits; fail=0.
narr_workdir() {
	t=$(mktemp -d) || exit 1
	trap 'rm -rf "$t"' EXIT
	fail=0
}
