/** Types for the encoder core of `qrcode`, imported alone so the bundle carries no PNG/terminal renderers. */
declare module 'qrcode/lib/core/qrcode.js' {
  import type { QRCode, QRCodeOptions, QRCodeSegment } from 'qrcode';
  export function create(data: string | QRCodeSegment[], options?: QRCodeOptions): QRCode;
}
