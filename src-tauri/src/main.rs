//! Linkscope's entry point: everything happens in `linkscope_app_lib::run`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    linkscope_app_lib::run();
}
