// check.h — what every exercise check shares (docs/exercises.md): a named comparison that prints both
// numbers on failure, and the verdict line. Checks are built in the double build (real = double), where a
// 1% error in a gradient cannot hide in rounding.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

#include "autograd/tensor.h"

static_assert(sizeof(tg::real) == sizeof(double), "exercise checks are built with -DTAPEGRAD_DOUBLE (make exercise-NAME does it)");

namespace ex {

inline int failures = 0;

// |got - want| <= tol (absolute) or <= tol·|want| when |want| > 1
inline void near(const std::string& what, double got, double want, double tol = 1e-8) {
    double err = std::fabs(got - want) / std::fmax(1.0, std::fabs(want));
    if (err <= tol && std::isfinite(got)) return;
    printf("  FAIL %s: got %.10g, expected %.10g (relative error %.2e > %.0e)\n", what.c_str(), got, want, err, tol);
    failures++;
}

inline void truth(const std::string& what, bool ok) {
    if (ok) return;
    printf("  FAIL %s\n", what.c_str());
    failures++;
}

// the last line of every check; returns main's exit code
inline int verdict(const char* exercise) {
    if (failures) printf("%s: %d check(s) failed\n", exercise, failures);
    else printf("%s: ok\n", exercise);
    return failures ? 1 : 0;
}

}  // namespace ex
