// test_docs_tape_dot.cpp — the tape drawn (autograd/tape_dot.h): a tiny graph's DOT has exactly its nodes,
// labels and arrows; after backward, the gradient norms are the right ones; the after_backward hook that
// --dump-tape uses fires once per backward.
#include <catch2/catch.hpp>

#include <sstream>

#include "autograd/ops.h"
#include "autograd/tape_dot.h"

using namespace tg;

TEST_CASE("write_dot: a tiny graph's nodes, shapes, arrows and gradient norms", "[engine][dot]") {
    Param w("fc.weight", Tensor(Shape{2, 3}, {1, 2, 3, 4, 5, 6}));
    Tape t;
    Var x = t.input(Tensor(Shape{1, 2}, {1, -1}));  // #0 data
    Var W = t.param(w);                              // #1 the weight
    Var y;
    {
        Scope s(t, "fc");
        y = matmul(x, W);                            // #2 (1, 3) = (-3, -3, -3)
    }
    Var L = sum(relu(y + 4.0));                      // #3 add, #4 relu, #5 sum = 3
    std::ostringstream before;
    write_dot(t, before, true);  // no backward yet: no gradient norms even when asked
    const std::string expected_nodes =
        "  n0 [label=\"#0 input\\n(1, 2)\", shape=ellipse];\n"
        "  n1 [label=\"#1 param fc.weight\\n(2, 3)\", style=filled, fillcolor=\"#cfe2f3\"];\n"
        "  n2 [label=\"#2 matmul in fc\\n(1, 3)\"];\n"
        "  n3 [label=\"#3 add_scalar\\n(1, 3)\"];\n";
    const std::string expected_edges =
        "  n0 -> n2 [label=\"0\", fontsize=8];\n"
        "  n1 -> n2 [label=\"1\", fontsize=8];\n"
        "  n2 -> n3;\n"
        "  n3 -> n4;\n"
        "  n4 -> n5;\n";
    INFO(before.str());
    CHECK(before.str().rfind("digraph tape {", 0) == 0);
    CHECK(before.str().find(expected_nodes) != std::string::npos);
    CHECK(before.str().find(expected_edges) != std::string::npos);
    CHECK(before.str().find("|grad|") == std::string::npos);
    CHECK(before.str().find("  n6") == std::string::npos);  // exactly the 6 nodes of the graph

    int calls = 0;
    static int* counter;
    counter = &calls;
    after_backward = [](Tape&) { ++*counter; };
    t.backward(L);
    after_backward = nullptr;
    CHECK(calls == 1);
    std::ostringstream after;
    write_dot(t, after, true);
    INFO(after.str());
    // dL/dy = 1 on each of the 3 entries (all > -4): |grad| = √3; dL/dW = xᵀ·1 = rows (1,1,1) and (-1,-1,-1): √6
    CHECK(after.str().find("n2 [label=\"#2 matmul in fc\\n(1, 3)\\n|grad| 1.73\"]") != std::string::npos);
    CHECK(after.str().find("n1 [label=\"#1 param fc.weight\\n(2, 3)\\n|grad| 2.45\"") != std::string::npos);
    CHECK(after.str().find("n5 [label=\"#5 sum\\n()\\n|grad| 1\"]") != std::string::npos);
    CHECK(after.str().find("n0 [label=\"#0 input\\n(1, 2)\", shape=ellipse]") != std::string::npos);  // data: no gradient
    std::ostringstream plain;
    write_dot(t, plain, false);
    CHECK(plain.str() == before.str());
}
