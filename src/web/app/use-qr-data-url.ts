import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * `text` as a QR code (a PNG data URL), drawn in the browser so the secret or token it carries never
 * goes to another service; null while drawing or when it cannot be drawn.
 */
export function useQrDataUrl(text: string, width: number): string | null {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width }).then(
      (url) => {
        if (live) setQr(url);
      },
      () => {
        if (live) setQr(null);
      },
    );
    return () => {
      live = false;
    };
  }, [text, width]);
  return qr;
}
