# ui_hub_download: fabula::ui::HubDownload against tests/ui/fake_hub.py (a
# local stand-in for the Hugging Face hub). Needs no display. Included from
# tests/ui/tests.cmake; expects FABULA_PYTHON and FABULA_TEST_ENV.
if(NOT TARGET ui_hub_download)
  cmake_path(GET CMAKE_CURRENT_LIST_DIR PARENT_PATH _fabula_hub_tests)
  cmake_path(GET _fabula_hub_tests PARENT_PATH _fabula_hub_root)

  add_executable(ui_hub_download ${CMAKE_CURRENT_LIST_DIR}/test_hub_download.cpp)
  set_target_properties(ui_hub_download PROPERTIES AUTOMOC ON)
  target_include_directories(ui_hub_download PRIVATE ${_fabula_hub_root})
  target_compile_definitions(ui_hub_download PRIVATE
    QT_NO_KEYWORDS QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII
    "FABULA_PYTHON=\"${FABULA_PYTHON}\""
    "FABULA_SOURCE_DIR=\"${_fabula_hub_root}\"")
  target_link_libraries(ui_hub_download PRIVATE fabula_ui Qt6::Test)

  add_test(NAME ui_hub_download COMMAND ui_hub_download)
  set_tests_properties(ui_hub_download PROPERTIES
    ENVIRONMENT "${FABULA_TEST_ENV}" TIMEOUT 300 LABELS "ui")

  unset(_fabula_hub_tests)
  unset(_fabula_hub_root)
endif()
