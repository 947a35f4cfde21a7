#include "core/common/error.h"

namespace benchtop {

Error::Error(const std::string& message) : std::runtime_error(message), m_message(message) {}

Error::Error(const std::string& context, const std::string& message)
    : std::runtime_error(context.empty() ? message : context + ": " + message),
      m_context(context),
      m_message(message) {}

}  // namespace benchtop
