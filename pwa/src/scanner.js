// The ZXing ponyfill, in its own lazily loaded chunk, with its .wasm served by us (never a CDN).
import { BarcodeDetector, prepareZXingModule } from 'barcode-detector/ponyfill';

/* global __ZXING_WASM_URL__ */
prepareZXingModule({
  overrides: { locateFile: (path, prefix) => (path.endsWith('.wasm') ? __ZXING_WASM_URL__ : prefix + path) },
});

export function createDetector() {
  return new BarcodeDetector({ formats: ['qr_code'] });
}
