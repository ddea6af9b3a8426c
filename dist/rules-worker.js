import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{L as o}from"./chunks/chunk-2JE5BC3G.js";import"./chunks/chunk-6XUV5PZO.js";import"./chunks/chunk-OZJ4OJ24.js";import{parentPort as t,workerData as i}from"node:worker_threads";var e=i;"file"in e?t?.postMessage((await o([e.file,...e.context??[]]))[0]):t?.postMessage(await o(e.files));
