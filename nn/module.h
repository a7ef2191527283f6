// module.h — the Module interface, Sequential, and the parameter registry.
// A Module maps a Var to a Var and owns its Params (learnable) and buffers (state that is saved but not
// learned, e.g. BatchNorm's running statistics). Every Param carries its full dotted name
// ("encoder.fc1.weight"), so optimizers, checkpoints and gradcheck reports all speak the same names.
// Modules are not copyable: optimizers hold pointers to their Params.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/ops.h"

namespace tg {

using NamedTensor = std::pair<std::string, Tensor*>;

struct Module {
    std::string name;  // "encoder.fc1": the label of every node it records (anomaly reports) and its params' prefix
    bool training = true;

    explicit Module(std::string name) : name(std::move(name)) {}
    Module(const Module&) = delete;
    Module& operator=(const Module&) = delete;
    virtual ~Module() = default;

    virtual Var forward(Var x) = 0;
    Var operator()(Var x) { return forward(x); }
    virtual void collect_params(std::vector<Param*>&) {}
    virtual void collect_buffers(std::vector<NamedTensor>&) {}
    virtual void set_training(bool on) { training = on; }

    std::vector<Param*> params() { std::vector<Param*> p; collect_params(p); return p; }
    std::vector<NamedTensor> buffers() { std::vector<NamedTensor> b; collect_buffers(b); return b; }
};

// Modules applied in order. add() takes ownership and returns a reference to the added module.
struct Sequential : Module {
    std::vector<std::unique_ptr<Module>> layers;

    explicit Sequential(std::string name) : Module(std::move(name)) {}
    template <class M, class... Args>
    M& add(Args&&... args) {
        layers.push_back(std::make_unique<M>(std::forward<Args>(args)...));
        return static_cast<M&>(*layers.back());
    }
    Var forward(Var x) override {
        for (auto& m : layers) x = m->forward(x);
        return x;
    }
    void collect_params(std::vector<Param*>& out) override { for (auto& m : layers) m->collect_params(out); }
    void collect_buffers(std::vector<NamedTensor>& out) override { for (auto& m : layers) m->collect_buffers(out); }
    void set_training(bool on) override {
        training = on;
        for (auto& m : layers) m->set_training(on);
    }
};

// f applied to x with no graph recorded, on a scratch tape: for encoding or decoding whole sets.
Tensor apply_nograd(const Tensor& x, const std::function<Var(Var)>& f);

// Total number of learnable values.
size_t count_params(const std::vector<Param*>& params);
// Zero every gradient.
void zero_grad(const std::vector<Param*>& params);

}  // namespace tg
