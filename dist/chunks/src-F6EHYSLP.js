import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a}from"./chunk-E5TORHTW.js";import"./chunk-OZJ4OJ24.js";export default a();
