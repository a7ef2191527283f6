// tape_dot.cpp — write_dot: nodes in creation order (the order backward reverses), then the arrows.
#include "autograd/tape_dot.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace tg {

// a label that is safe inside DOT's double quotes
static std::string quoted(const std::string& s) {
    std::string q;
    for (char c : s) {
        if (c == '"' || c == '\\') q += '\\';
        q += c;
    }
    return q;
}

static double l2_norm(const Tensor& g) {
    double s = 0;
    for (real v : g.data) s += (double)v * v;
    return std::sqrt(s);
}

void write_dot(const Tape& t, std::ostream& os, bool grads) {
    os << "digraph tape {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n";
    for (int i = 0; i < t.used; i++) {
        const Node& n = t.nodes[i];
        const Tensor& value = n.param ? n.param->value : n.value;
        std::string label = "#" + std::to_string(i) + " " + quoted(n.op);
        if (n.where[0]) label += std::string(n.param ? " " : " in ") + quoted(n.where);
        label += "\\n" + value.shape.str();
        const Tensor* g = n.param ? &n.param->grad : &n.grad;
        if (grads && t.backward_done && n.needs_grad && g->size() == value.size()) {
            char buf[48];
            snprintf(buf, sizeof buf, "\\n|grad| %.3g", l2_norm(*g));
            label += buf;
        }
        const char* style = n.param ? ", style=filled, fillcolor=\"#cfe2f3\""    // parameters: blue
                            : n.n_in == 0 ? ", shape=ellipse"                       // data, targets, noise
                                          : "";
        os << "  n" << i << " [label=\"" << label << "\"" << style << "];\n";
    }
    for (int i = 0; i < t.used; i++) {
        const Node& n = t.nodes[i];
        for (int k = 0; k < n.n_in; k++) {
            os << "  n" << n.in[k] << " -> n" << i;
            if (n.n_in > 1) os << " [label=\"" << k << "\", fontsize=8]";  // which operand, where order matters
            os << ";\n";
        }
    }
    os << "}\n";
}

}  // namespace tg
