import { execFileSync } from 'node:child_process';

// tests import src/ directly, and the GPU modules import the shaders generated from shaders/*.wgsl
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/gen-shaders.mjs'], { stdio: 'inherit' });
}
