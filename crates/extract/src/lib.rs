pub mod segment;
pub mod text;
pub mod timex;
