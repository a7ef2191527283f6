// main.cpp — Catch2's main(). The test files are split by concern: engine, ops, nn, optim, io, models.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
