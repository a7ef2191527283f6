// sizes.cpp — layer sizes from and to text (models/sizes.h).
#include "models/sizes.h"

#include <cstdlib>

#include "autograd/error.h"

namespace tg {

std::vector<int> parse_sizes(const std::string& text, const std::string& what) {
    std::vector<int> sizes;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find_first_of(",-", pos);
        if (end == std::string::npos) end = text.size();
        const std::string item = text.substr(pos, end - pos);
        const long n = std::strtol(item.c_str(), nullptr, 10);
        if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos || item.size() > 8 || n <= 0 || n > (1 << 20))
            throw input_error(what + ": '" + item + "' is not a positive layer size; write sizes like 256,128");
        sizes.push_back((int)n);
        pos = end + 1;
    }
    return sizes;
}

std::string sizes_str(const std::vector<int>& sizes) {
    std::string s;
    for (size_t i = 0; i < sizes.size(); i++) s += (i ? "-" : "") + std::to_string(sizes[i]);
    return s;
}

}  // namespace tg
