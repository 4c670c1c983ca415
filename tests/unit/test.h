/* Minimal unit test framework: NS_TEST(module__case) registers a test at load
 * time; CHECK* record failures and go on; NS_SKIP ends a test as skipped with a
 * reason. Environment for tests: NS_BIN (binary), NS_SRC (repo), NS_DATA
 * (../shared/data, may be absent), NS_BUILD (build dir). */
#ifndef NS_TEST_H
#define NS_TEST_H

#include <stdio.h>
#include <string.h>

typedef void (*ns_test_fn)(void);
void ns_test_register(const char *name, ns_test_fn fn);
void ns_test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ns_test_skip(const char *reason);
/* Path of the shared data dir when present (contains semeval2025/), else NULL. */
const char *ns_test_data(void);
/* Repository root. */
const char *ns_test_src(void);
/* Path of the narrascope binary. */
const char *ns_test_bin(void);

#define NS_TEST(name) \
	static void name(void); \
	__attribute__((constructor)) static void name##__register(void) { ns_test_register(#name, name); } \
	static void name(void)

#define CHECK(cond) \
	do { if (!(cond)) ns_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); } while (0)
#define CHECK_INT(a, b) \
	do { long long _a = (long long)(a), _b = (long long)(b); \
	     if (_a != _b) ns_test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, _a, _b); } while (0)
#define CHECK_STR(a, b) \
	do { const char *_a = (a), *_b = (b); \
	     if (!_a || !_b || strcmp(_a, _b) != 0) \
	        ns_test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, _a ? _a : "(null)", _b ? _b : "(null)"); } while (0)
#define CHECK_NEAR(a, b, eps) \
	do { double _a = (a), _b = (b); \
	     if (!(_a - _b <= (eps) && _b - _a <= (eps))) ns_test_fail(__FILE__, __LINE__, "%s == %.6f, expected %.6f", #a, _a, _b); } while (0)
#define NS_SKIP(reason) do { ns_test_skip(reason); return; } while (0)
#define NS_NEED_DATA() do { if (!ns_test_data()) NS_SKIP("../shared/data/semeval2025 not found"); } while (0)

#endif
