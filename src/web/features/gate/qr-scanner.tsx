import { CameraOutlined, PictureOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Flex } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { decodeQrFile, decodeQrFrame } from './qr-decode';

/** How often a camera frame is decoded (ms): fast enough to feel instant, light on a phone. */
const frameInterval = 150;

/**
 * Reads a QR code with the camera (getUserMedia, the rear camera when there is one) or from a
 * picked image file, and hands its text to `onText`. The camera stops as soon as a code is read.
 */
export function QrScanner({ onText, testId }: { onText: (text: string) => void; testId?: string }) {
  const { t } = useTranslation();
  const [cameraOn, setCameraOn] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const onTextRef = useRef(onText);
  useEffect(() => {
    onTextRef.current = onText;
  }, [onText]);

  useEffect(() => {
    if (!cameraOn) return;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const stop = () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
    const tick = () => {
      const video = videoRef.current;
      if (stopped || !video) return;
      const text = video.readyState >= video.HAVE_CURRENT_DATA ? decodeQrFrame(video, canvas) : null;
      if (text) {
        stop();
        setCameraOn(false);
        onTextRef.current(text);
        return;
      }
      timer = window.setTimeout(tick, frameInterval);
    };
    const start = async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
        if (stopped) {
          stop();
          return;
        }
        const video = videoRef.current;
        if (!video) return;
        video.srcObject = stream;
        await video.play();
        tick();
      } catch {
        stop();
        setProblem(t('gate.scan.cameraError'));
        setCameraOn(false);
      }
    };
    void start();
    return stop;
  }, [cameraOn, t]);

  const pickFile = async (file: File | undefined) => {
    if (!file) return;
    setProblem(null);
    try {
      const text = await decodeQrFile(file);
      if (text) onText(text);
      else setProblem(t('gate.scan.notFound'));
    } catch {
      setProblem(t('gate.scan.notFound'));
    } finally {
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  return (
    <Flex vertical gap={8}>
      {cameraOn ? (
        <div className="gate-video">
          <video ref={videoRef} muted playsInline aria-label={t('gate.scan.video')} />
          <div className="gate-video-frame" aria-hidden />
          <span className="gate-video-hint">{t('gate.scan.hint')}</span>
        </div>
      ) : null}
      <Flex gap={8}>
        <Button
          size="large"
          block
          className="gate-big"
          type={cameraOn ? 'default' : 'primary'}
          icon={cameraOn ? <StopOutlined aria-hidden /> : <CameraOutlined aria-hidden />}
          onClick={() => {
            setProblem(null);
            setCameraOn((on) => !on);
          }}
          disabled={typeof navigator.mediaDevices?.getUserMedia !== 'function'}
        >
          {cameraOn ? t('gate.scan.stopCamera') : t('gate.scan.camera')}
        </Button>
        <Button size="large" block className="gate-big" icon={<PictureOutlined aria-hidden />} onClick={() => fileRef.current?.click()}>
          {t('gate.scan.file')}
        </Button>
        <input
          ref={fileRef}
          type="file"
          accept="image/*"
          hidden
          data-testid={testId}
          aria-label={t('gate.scan.file')}
          onChange={(event) => void pickFile(event.target.files?.[0])}
        />
      </Flex>
      {problem ? <Alert type="warning" showIcon title={problem} /> : null}
    </Flex>
  );
}
