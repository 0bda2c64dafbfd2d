/*
 * vocab.c - the closed vocabularies of SPEC section 2, which the rule
 * compiler enforces so that no rule can emit a class, phase, tool or kind
 * that consumers do not know.
 */
#include <string.h>

#include "event.h"
#include "rules.h"

static const char *const classes[] = {
	"compile_error", "ice", "link_error", "cgo_error", "gocmd_error",
	"vet", "test_failure", "panic", "fatal", "signal", "race", NULL
};

static const char *const phases[] = {
	"gocmd", "parser", "typecheck", "midend", "ssa", "codegen", "cgo",
	"link", "vet", "test", "runtime", "unknown", NULL
};

static const char *const tools[] = {
	"compile", "asm", "link", "cgo", "vet", "go", "pack", "buildid",
	"cover", "test", NULL
};

static const char *const kinds[] = {
	/* compile */
	"syntax_error", "undefined", "type_mismatch", "cannot_infer",
	"unused_import", "unused_variable", "import_cycle",
	"invalid_recursive_type", "too_many_errors", "compile_error",
	/* ice */
	"ice",
	/* link */
	"undefined_symbol", "duplicate_symbol", "linkname_restricted",
	"external_linker_failed", "link_error",
	/* cgo */
	"c_compile_error", "c_header_not_found", "c_compiler_not_found",
	"cgo_unknown_name", "cgo_error",
	/* go command */
	"toolchain_mismatch", "toolchain_unavailable", "module_not_found",
	"missing_go_sum", "embed_pattern", "embed_irregular_file",
	"build_constraints_exclude", "package_not_found", "gocmd_error",
	/* go command (README: added to SPEC's list) */
	"checksum_mismatch", "go_mod_outdated",
	/* vet */
	"vet_buildtag", "vet_printf", "vet_copylocks", "vet",
	/* tests (README: added to SPEC's list) */
	"test_failure", "example_failure", "benchmark_failure", "fuzz_failure",
	"test_exit",
	/* runtime panic */
	"nil_deref", "index_out_of_range", "slice_bounds", "type_assertion",
	"divide_by_zero", "close_closed_channel", "send_closed_channel",
	"close_nil_channel", "nil_map_write", "nil_func_call", "user_panic",
	"test_timeout", "cgo_pointer_check",
	/* runtime fatal */
	"concurrent_map_writes", "concurrent_map_read_write",
	"concurrent_map_iteration_write", "deadlock", "stack_overflow", "oom",
	"unexpected_return_pc", "checkptr", "sync_unlock_unlocked",
	"morestack_on_g0", "signal_in_cgo", "unexpected_signal", "bad_pointer",
	"fault", "fatal",
	/* signal (README: added to SPEC's list) */
	"signal",
	/* race */
	"data_race",
	NULL
};

static int
in_list(const char *const *list, const char *v)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, v) == 0)
			return 1;
	return 0;
}

int
vocab_ok(int field, const char *value)
{
	switch (field) {
	case F_CLASS: return in_list(classes, value);
	case F_PHASE: return in_list(phases, value);
	case F_TOOL: return in_list(tools, value);
	case F_KIND: return in_list(kinds, value);
	}
	return 1;
}
