// htm bound to Preact: JSX-like templates without a compile step; values are escaped, never HTML.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
