//! Colours and emphasis, in one place. With `NO_COLOR` set (https://no-color.org) every style
//! keeps its emphasis (bold, reverse, underline) and drops its colour.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty.
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
        }
    }

    fn paint(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn text(self) -> Style {
        Style::new()
    }
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    pub fn title(self) -> Style {
        self.paint(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn heading(self, level: u8) -> Style {
        match level {
            1 => self
                .paint(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            2 => self.paint(Color::Cyan).add_modifier(Modifier::BOLD),
            _ => self.paint(Color::Blue).add_modifier(Modifier::BOLD),
        }
    }
    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn key(self) -> Style {
        self.paint(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn good(self) -> Style {
        self.paint(Color::Green)
    }
    pub fn bad(self) -> Style {
        self.paint(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warn(self) -> Style {
        self.paint(Color::Yellow)
    }
    pub fn code(self) -> Style {
        self.paint(Color::LightYellow)
    }
    pub fn link(self) -> Style {
        self.paint(Color::LightBlue)
            .add_modifier(Modifier::UNDERLINED)
    }
    pub fn border(self) -> Style {
        self.paint(Color::DarkGray)
    }
    pub fn focus_border(self) -> Style {
        self.paint(Color::Cyan)
    }
    /// YAML: keys, strings, numbers and booleans, comments, punctuation.
    pub fn yaml_key(self) -> Style {
        self.paint(Color::Cyan)
    }
    pub fn yaml_string(self) -> Style {
        self.paint(Color::Green)
    }
    pub fn yaml_number(self) -> Style {
        self.paint(Color::Magenta)
    }
    pub fn yaml_comment(self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC)
    }
    pub fn yaml_punctuation(self) -> Style {
        self.paint(Color::DarkGray)
    }
    /// One of five heat levels for the review calendar (0: no reviews).
    pub fn heat(self, level: u8) -> Style {
        if !self.color {
            return match level {
                0 => self.dim(),
                1 | 2 => Style::new(),
                _ => Style::new().add_modifier(Modifier::BOLD),
            };
        }
        Style::new().fg(match level {
            0 => Color::DarkGray,
            1 => Color::Rgb(14, 68, 41),
            2 => Color::Rgb(0, 109, 50),
            3 => Color::Rgb(38, 166, 65),
            _ => Color::Rgb(57, 211, 83),
        })
    }
}
