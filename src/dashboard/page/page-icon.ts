/** The dashboard's icon: a planet and its orbit. */
export const PAGE_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <ellipse cx="16" cy="16" rx="14" ry="6.5" fill="none" stroke="#7a8cff" stroke-width="2.2"
    transform="rotate(-25 16 16)"/>
  <circle cx="16" cy="16" r="6.5" fill="#3b5bdb"/>
  <circle cx="27" cy="10.6" r="2.6" fill="#f79009"/>
</svg>
`;
