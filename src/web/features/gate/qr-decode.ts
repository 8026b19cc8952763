import jsQR from 'jsqr';

/** Frames and pictures are scaled down to this many pixels on the long side before decoding. */
const maxSide = 1024;

/** Draws a picture (a photo, a video frame) onto a canvas at most `maxSide` wide and reads a QR code from it. */
function decodeDrawable(source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement, thorough: boolean): string | null {
  if (width === 0 || height === 0) return null;
  const scale = Math.min(1, maxSide / Math.max(width, height));
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  const image = context.getImageData(0, 0, canvas.width, canvas.height);
  const code = jsQR(image.data, image.width, image.height, { inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert' });
  return code?.data ? code.data : null;
}

/** The text of the QR code in an image file (a photo or a saved pass card), or null when none is found. */
export async function decodeQrFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    return decodeDrawable(bitmap, bitmap.width, bitmap.height, document.createElement('canvas'), true);
  } finally {
    bitmap.close();
  }
}

/** The text of a QR code in the current frame of a playing video, or null. */
export function decodeQrFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): string | null {
  return decodeDrawable(video, video.videoWidth, video.videoHeight, canvas, false);
}
