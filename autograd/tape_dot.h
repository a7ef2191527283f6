// tape_dot.h — the recorded graph drawn: a tape written as Graphviz DOT, like micrograd's draw_dot.
// One box per node (its op, the module that recorded it, its output shape; a parameter shows its name),
// one arrow per input, from the input to the op that reads it; after backward, optionally each node's
// gradient norm ‖d(loss)/d(node)‖. Render with `dot -Tpng tape.dot -o tape.png` (Debian's graphviz).
// The examples write it with --dump-tape FILE (run/flags.h); docs/one-step.md shows the VAE's.
#pragma once
#include <ostream>

#include "autograd/tape.h"

namespace tg {

// The nodes [0, t.size()) of the current graph. grads: add ‖grad‖ to every node that has one (only
// after t.backward(); a parameter's grad is what has accumulated in it since its last zero_grad).
void write_dot(const Tape& t, std::ostream& os, bool grads = false);

}  // namespace tg
