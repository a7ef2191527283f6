// module.cpp — parameter registry helpers.
#include "nn/module.h"

namespace tg {

Tensor apply_nograd(const Tensor& x, const std::function<Var(Var)>& f) {
    Tape t;
    NoGrad ng(t);
    return f(t.input(x)).value();
}

size_t count_params(const std::vector<Param*>& params) {
    size_t n = 0;
    for (const Param* p : params) n += p->value.size();
    return n;
}

void zero_grad(const std::vector<Param*>& params) {
    for (Param* p : params) p->zero_grad();
}

}  // namespace tg
