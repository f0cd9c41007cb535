//! The text formats specs are written in, and reading them.
//!
//! Board specs, cameras and scenarios are all serde types read from TOML or JSON. This module is
//! the one place that turns text into such a type, so every reader reports syntax errors, wrong
//! types and unknown fields the same way: as [`Error::Parse`] with the parser's own message,
//! which includes the line and column.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// A text format that specs are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML 1.0.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format of a file: by its extension (`toml` or `json`, any case), else JSON when the
    /// text starts with `{`, else TOML.
    pub fn guess(extension: Option<&str>, text: &str) -> Self {
        match extension.map(str::to_ascii_lowercase).as_deref() {
            Some("json") => Self::Json,
            Some("toml") => Self::Toml,
            _ if text.trim_start().starts_with('{') => Self::Json,
            _ => Self::Toml,
        }
    }

    /// Reads a `T` from `text` in this format.
    pub fn deserialize<T: DeserializeOwned>(self, text: &str) -> Result<T> {
        let message = match self {
            Self::Toml => match toml::from_str(text) {
                Ok(value) => return Ok(value),
                Err(e) => e.to_string().trim_end().to_owned(),
            },
            Self::Json => match serde_json::from_str(text) {
                Ok(value) => return Ok(value),
                Err(e) => e.to_string(),
            },
        };
        Err(Error::Parse { format: self, message })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Toml => "TOML",
            Self::Json => "JSON",
        })
    }
}
