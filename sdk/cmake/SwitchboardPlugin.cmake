# switchboard_add_plugin(<target> SOURCES <files...>)
# Builds a Switchboard provider plugin: a MODULE library linked only to the SDK,
# with hidden visibility so the one entry symbol is the only export.
function(switchboard_add_plugin target)
  cmake_parse_arguments(SBP "" "OUTPUT_NAME" "SOURCES" ${ARGN})
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
  if(NOT APPLE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
