//! The geographic frame of a plan edition.

use geo::{Coord, Rect};

/// The lon/lat box every coordinate of the plan data must lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Region {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Region {
    /// The frame of the 2022 nine-city plan and of the built-in basemap: it holds all nine
    /// municipal territories (Ningbo reaches 28.86°N, Nantong 32.71°N, Zhoushan 122.83°E).
    pub const SHANGHAI_METROPOLITAN_AREA: Region = Region {
        west: 118.9,
        south: 28.8,
        east: 123.2,
        north: 32.8,
    };

    pub fn contains(&self, c: Coord<f64>) -> bool {
        (self.west..=self.east).contains(&c.x) && (self.south..=self.north).contains(&c.y)
    }

    pub fn rect(&self) -> Rect<f64> {
        Rect::new(
            Coord {
                x: self.west,
                y: self.south,
            },
            Coord {
                x: self.east,
                y: self.north,
            },
        )
    }
}
