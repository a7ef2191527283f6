// my_model.cpp — a user's own program against an installed tapegrad (the README shows it):
//   g++ my_model.cpp $(pkg-config --cflags --libs tapegrad) -o my_model
// Fits y = 2x - 1 with one Linear layer and Adam, then prints the learned weight and bias.
#include <cstdio>

#include "autograd/ops.h"
#include "nn/layers.h"
#include "nn/optim.h"

int main() {
    tg::Rng rng(0);
    tg::Linear fc("fc", 1, 1, rng);                       // y = w x + b
    tg::Adam opt(fc.params(), 0.05);
    tg::Tensor x(tg::Shape{8, 1}), y(tg::Shape{8, 1});
    for (int i = 0; i < 8; i++) { x[i] = i / 4.0f; y[i] = 2 * x[i] - 1; }
    tg::Tape tape;
    for (int step = 0; step < 500; step++) {
        tape.reset();                                      // reuses every buffer of the last step
        tg::Var loss = tg::mse(fc(tape.input(x)), tape.input(y));
        opt.zero_grad();
        tape.backward(loss);                               // d(loss)/d(w, b) into fc's params
        opt.step();
    }
    printf("w = %.3f, b = %.3f\n", fc.weight.value[0], fc.bias.value[0]);
    return 0;
}
