# switchboard_add_plugin(<target> [OUTPUT_NAME <name>] SOURCES <files...>)
# Builds a Switchboard provider plugin: a MODULE library linked only to the SDK.
# Hidden visibility plus a linker version script make the one entry symbol
# (switchboard_plugin_entry) the only export, whatever the sources instantiate.
function(switchboard_add_plugin target)
  cmake_parse_arguments(SBP "" "OUTPUT_NAME" "SOURCES" ${ARGN})
  if(NOT SBP_SOURCES)
    message(FATAL_ERROR "switchboard_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${SBP_SOURCES})
  target_link_libraries(${target} PRIVATE Switchboard::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(SBP_OUTPUT_NAME)
    set_target_properties(${target} PROPERTIES OUTPUT_NAME ${SBP_OUTPUT_NAME})
  endif()
  if(NOT APPLE AND NOT WIN32)
    set(exports ${CMAKE_CURRENT_BINARY_DIR}/${target}.exports.map)
    file(WRITE ${exports} "{\n  global: switchboard_plugin_entry;\n  local: *;\n};\n")
    target_link_options(${target} PRIVATE -Wl,--no-undefined -Wl,--version-script=${exports})
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${exports})
  endif()
endfunction()
